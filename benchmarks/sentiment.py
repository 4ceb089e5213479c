"""`python -m benchmarks.sentiment`: the offline sentiment analyzer on the hand-labelled sets of
issue 17 (`tests/data/sentiment/`, see its README): the frozen held-out set and the development
set.

Per set it reports:
- accuracy: the analyzer's label is one the item accepts (NEUTRAL is wrong for a message with a
  clear polarity);
- coverage (share of messages the analyzer commits on, POSITIVE or NEGATIVE) and accuracy when
  committed;
- precision and recall per topic (OTHER is the absence of a topic, not scored);
- intents: exact-set accuracy, precision and recall per intent;
- competitors: share of messages whose named competitors are found exactly;
and the analyzer's throughput in messages per second on one core (this process, one thread).

`--errors` lists the development set's misses (never the held-out set's: it is not tuned on).
`--json PATH` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dagster_cerniq.defs.sentiment import offline
from dagster_cerniq.defs.sentiment.schema import MessageAnalysis, Sentiment, Topic

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "sentiment"
SETS = {"heldout": DATA_DIR / "heldout.jsonl", "dev": DATA_DIR / "dev.jsonl"}
# The evaluation tenant's own competitor list (the sets name these besides the default list).
TENANT_COMPETITORS = ("AgroVest", "Semtop")
# Targets of issue 17 (on the held-out set).
TARGET_ACCURACY = 0.85
TARGET_COMMITTED_ACCURACY = 0.95
TARGET_TOPIC_PRECISION = 0.85
THROUGHPUT_SECONDS = 3.0

Analyze = Callable[[str, Sequence[str]], MessageAnalysis]


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    sentiment: str
    accept: frozenset[str]
    topics: frozenset[str]
    intents: frozenset[str]
    competitors: frozenset[str]


def load(path: Path) -> list[Item]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        accept = frozenset(row["accept"])
        if not accept or not accept <= set(Sentiment):
            raise ValueError(f"{path.name}:{number}: accept {row['accept']!r} is not a label set")
        items.append(
            Item(
                row["id"],
                row["text"],
                row["sentiment"],
                accept,
                frozenset(row["topics"]),
                frozenset(row["intents"]),
                frozenset(row["competitors"]),
            )
        )
    return items


def competitor_list() -> list[str]:
    """What the asset gives the analyzer: the tenant's own list and the default one."""
    return offline.with_default_competitors(TENANT_COMPETITORS)


def _intents(analysis: MessageAnalysis) -> frozenset[str]:
    return frozenset(intent.value for intent in analysis.intents)


def _precision_recall(pairs: list[tuple[frozenset[str], frozenset[str]]], label: str) -> dict:
    true_pos = sum(1 for gold, got in pairs if label in gold and label in got)
    predicted = sum(1 for _, got in pairs if label in got)
    actual = sum(1 for gold, _ in pairs if label in gold)
    return {
        "precision": round(true_pos / predicted, 3) if predicted else None,
        "recall": round(true_pos / actual, 3) if actual else None,
        "predicted": predicted,
        "actual": actual,
    }


def evaluate(items: Sequence[Item], analyze: Analyze, competitors: Sequence[str]) -> dict:
    """Every figure of one set (see the module's docstring)."""
    results = [(item, analyze(item.text, competitors)) for item in items]
    correct = [analysis.sentiment.value in item.accept for item, analysis in results]
    committed = [
        ok for ok, (_, analysis) in zip(correct, results, strict=True)
        if analysis.sentiment is not Sentiment.NEUTRAL
    ]  # fmt: skip
    confusion: dict[str, dict[str, int]] = {}
    for item, analysis in results:
        row = confusion.setdefault(item.sentiment, {})
        row[analysis.sentiment.value] = row.get(analysis.sentiment.value, 0) + 1
    topic_pairs = [
        (item.topics, frozenset(t.value for t in analysis.topics) - {Topic.OTHER.value})
        for item, analysis in results
    ]
    topic_labels = [topic.value for topic in Topic if topic is not Topic.OTHER]
    figures = {
        "messages": len(items),
        "accuracy": round(sum(correct) / len(items), 3),
        "coverage": round(len(committed) / len(items), 3),
        "committed_accuracy": round(sum(committed) / len(committed), 3) if committed else None,
        "confusion": confusion,
        "topics": {label: _precision_recall(topic_pairs, label) for label in topic_labels},
        "topics_exact": round(sum(g == p for g, p in topic_pairs) / len(items), 3),
        "competitors_exact": round(
            sum(item.competitors == set(a.mentioned_competitors) for item, a in results)
            / len(items),
            3,
        ),
    }
    intent_pairs = [(item.intents, _intents(analysis)) for item, analysis in results]
    labels = sorted({label for gold, got in intent_pairs for label in gold | got})
    figures["intents_exact"] = round(sum(gold == got for gold, got in intent_pairs) / len(items), 3)
    figures["intents"] = {label: _precision_recall(intent_pairs, label) for label in labels}
    figures["misses"] = [
        {"id": item.id, "text": item.text, "expected": sorted(item.accept),
         "got": analysis.sentiment.value, "score": analysis.score,
         "topics": [t.value for t in analysis.topics], "expected_topics": sorted(item.topics),
         "intents": sorted(_intents(analysis)), "expected_intents": sorted(item.intents)}
        for item, analysis in results
        if analysis.sentiment.value not in item.accept
        or frozenset(t.value for t in analysis.topics) - {Topic.OTHER.value} != item.topics
        or _intents(analysis) != item.intents
    ]  # fmt: skip
    return figures


def throughput(texts: Sequence[str], analyze: Analyze, competitors: Sequence[str]) -> float:
    """Messages per second, one thread, over at least THROUGHPUT_SECONDS."""
    analyze(texts[0], competitors)  # compile the rules outside the timing
    done, started = 0, time.perf_counter()
    while True:
        for text in texts:
            analyze(text, competitors)
        done += len(texts)
        elapsed = time.perf_counter() - started
        if elapsed >= THROUGHPUT_SECONDS:
            return done / elapsed


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.3f}"


def report(name: str, figures: dict) -> list[str]:
    lines = [
        f"== {name}: {figures['messages']} messages",
        f"accuracy            {_fmt(figures['accuracy'])}",
        f"coverage            {_fmt(figures['coverage'])}  (POSITIVE or NEGATIVE)",
        f"accuracy committed  {_fmt(figures['committed_accuracy'])}",
        f"topics exact        {_fmt(figures['topics_exact'])}",
        f"intents exact       {_fmt(figures['intents_exact'])}",
        f"competitors exact   {_fmt(figures['competitors_exact'])}",
        "confusion (expected -> got): "
        + "; ".join(
            f"{gold}: " + ", ".join(f"{got} {n}" for got, n in sorted(row.items()))
            for gold, row in sorted(figures["confusion"].items())
        ),
        f"{'topic':<22} precision recall predicted actual",
    ]
    for label, pr in figures["topics"].items():
        lines.append(f"{label:<22} {_fmt(pr['precision'])}     {_fmt(pr['recall'])}  "
                     f"{pr['predicted']:>5} {pr['actual']:>6}")  # fmt: skip
    lines.append(f"{'intent':<22} precision recall predicted actual")
    for label, pr in figures["intents"].items():
        lines.append(f"{label:<22} {_fmt(pr['precision'])}     {_fmt(pr['recall'])}  "
                     f"{pr['predicted']:>5} {pr['actual']:>6}")  # fmt: skip
    return lines


def targets(figures: dict) -> dict[str, bool]:
    # A topic never predicted has no precision (None); one predicted and always wrong has 0.
    precisions = [
        pr["precision"] for pr in figures["topics"].values() if pr["precision"] is not None
    ]
    return {
        f"accuracy >= {TARGET_ACCURACY}": figures["accuracy"] >= TARGET_ACCURACY,
        f"committed accuracy >= {TARGET_COMMITTED_ACCURACY}": (
            (figures["committed_accuracy"] or 0.0) >= TARGET_COMMITTED_ACCURACY
        ),
        f"every topic precision >= {TARGET_TOPIC_PRECISION}": all(
            p >= TARGET_TOPIC_PRECISION for p in precisions
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sentiment", description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list the dev set's misses")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument(
        "--dev-only", action="store_true", help="the dev set only (while tuning: no held-out look)"
    )
    args = parser.parse_args(argv)

    competitors = competitor_list()
    results: dict = {"analyzer": f"{offline.MODEL_NAME} {offline.MODEL_VERSION}"}
    sets = {"dev": SETS["dev"]} if args.dev_only else SETS
    for name, path in sets.items():
        figures = evaluate(load(path), offline.analyze, competitors)
        results[name] = figures
        print("\n".join(report(name, figures)))
        print()
    if "heldout" in results:
        print(f"held-out targets ({results['analyzer']}):")
        for target, met in targets(results["heldout"]).items():
            print(f"  {'met    ' if met else 'MISSED '} {target}")
    if not args.no_throughput:
        texts = [item.text for path in sets.values() for item in load(path)]
        rate = throughput(texts, offline.analyze, competitors)
        results["messages_per_second"] = round(rate)
        print(f"throughput: {rate:,.0f} messages/s on one core ({len(texts)} texts, repeated)")
    if args.errors:
        print("\ndev misses:")
        for miss in results["dev"]["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
