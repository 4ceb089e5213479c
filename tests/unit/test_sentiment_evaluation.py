"""The evaluation of issue 17 (`benchmarks/sentiment.py`): the hand-labelled sets are well formed
and disjoint, the figures are computed as documented, and the offline analyzer keeps a floor on
the development set. The held-out targets are reported by the script, not asserted here; no
timing here either (the script measures messages per second)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from benchmarks import sentiment as evaluation
from dagster_cerniq.defs.sentiment import offline
from dagster_cerniq.defs.sentiment.schema import Intent, MessageAnalysis, Sentiment, Topic

# Measured at commit 9459f70: 0.945 on the 419 dev messages. The floor leaves room for a rule
# change that trades a few dev messages for generality, not for a return to the 0.68 of before.
DEV_ACCURACY_FLOOR = 0.90


@pytest.fixture(scope="module")
def sets() -> dict[str, list[evaluation.Item]]:
    return {name: evaluation.load(path) for name, path in evaluation.SETS.items()}


def test_sets_are_well_formed_and_disjoint(sets) -> None:
    assert len(sets["heldout"]) >= 400 and len(sets["dev"]) >= 200
    texts = {name: [item.text.casefold() for item in items] for name, items in sets.items()}
    for name, items in sets.items():
        assert len(set(texts[name])) == len(items), f"duplicate text in {name}"
        assert len({item.id for item in items}) == len(items)
        for item in items:
            assert item.sentiment in {"POSITIVE", "NEGATIVE", "NEUTRAL", "MIXED"}, item
            if item.sentiment != "MIXED":
                assert item.accept == {item.sentiment}, item  # a clear label accepts only itself
            assert item.topics <= {topic.value for topic in Topic}, item
            assert item.intents <= {intent.value for intent in Intent}, item
            assert item.competitors <= set(evaluation.competitor_list()), item
    assert not set(texts["heldout"]) & set(texts["dev"])


def _always(label: Sentiment, topics: Sequence[Topic] = ()):
    def analyze(text: str, competitors: Sequence[str]) -> MessageAnalysis:
        return MessageAnalysis(sentiment=label, score=0.0, topics=list(topics))

    return analyze


def test_figures_are_computed_as_documented(sets) -> None:
    items = sets["dev"]
    neutral = evaluation.evaluate(items, _always(Sentiment.NEUTRAL), [])
    accepting_neutral = sum("NEUTRAL" in item.accept for item in items)
    assert neutral["accuracy"] == round(accepting_neutral / len(items), 3)
    assert neutral["coverage"] == 0.0 and neutral["committed_accuracy"] is None
    assert all(pr["predicted"] == 0 for pr in neutral["topics"].values())

    negative = evaluation.evaluate(items, _always(Sentiment.NEGATIVE, [Topic.PRICE_HIGH]), [])
    assert negative["coverage"] == 1.0
    assert negative["committed_accuracy"] == negative["accuracy"]
    price = negative["topics"]["PRICE_HIGH"]
    actual = sum("PRICE_HIGH" in item.topics for item in items)
    assert price["recall"] == 1.0 and price["precision"] == round(actual / len(items), 3)
    assert negative["intents_exact"] == round(
        sum(not item.intents for item in items) / len(items), 3
    )


def test_offline_analyzer_on_the_dev_set(sets) -> None:
    figures = evaluation.evaluate(sets["dev"], offline.analyze, evaluation.competitor_list())
    report = "\n".join(evaluation.report("dev", figures))
    assert figures["accuracy"] >= DEV_ACCURACY_FLOOR, report
    assert figures["competitors_exact"] == 1.0, report


def test_targets_judge_every_topic_that_was_predicted() -> None:
    def figures(precisions: dict[str, float | None]) -> dict:
        return {
            "accuracy": 0.9,
            "committed_accuracy": 0.96,
            "topics": {topic: {"precision": p} for topic, p in precisions.items()},
        }

    topic_target = f"every topic precision >= {evaluation.TARGET_TOPIC_PRECISION}"
    # a topic never predicted has no precision and is not judged
    assert all(evaluation.targets(figures({"PRICE_HIGH": 0.9, "GRATITUDE": None})).values())
    # a topic predicted and always wrong misses the target
    assert not evaluation.targets(figures({"PRICE_HIGH": 0.9, "GRATITUDE": 0.0}))[topic_target]
    assert not evaluation.targets(figures({"PRICE_HIGH": 0.84}))[topic_target]
    # below the accuracy targets, and no message committed on: both missed
    low = {**figures({"PRICE_HIGH": 0.9}), "accuracy": 0.84, "committed_accuracy": None}
    assert evaluation.targets(low) == {
        f"accuracy >= {evaluation.TARGET_ACCURACY}": False,
        f"committed accuracy >= {evaluation.TARGET_COMMITTED_ACCURACY}": False,
        topic_target: True,
    }
