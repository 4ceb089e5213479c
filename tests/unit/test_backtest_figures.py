"""The backtest's figures on predictors whose quality is known by construction."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dagster_cerniq.ops.backtest import evaluate, plan_backtest

CLIENTS = 20_000


def frame(probability: np.ndarray, churned: np.ndarray, score: np.ndarray) -> pd.DataFrame:
    levels = np.where(score >= 75, "CRITICAL", np.where(score >= 50, "HIGH", "LOW"))
    return pd.DataFrame(
        {
            "as_of": dt.date(2026, 1, 1),
            "client_id": [str(i) for i in range(len(churned))],
            "overall_churn_score": score,
            "risk_level": levels,
            "prediction_confidence": probability * 100,
            "churned": churned,
        }
    )


def test_a_calibrated_predictor_lies_on_the_diagonal_and_a_distorted_one_does_not() -> None:
    rng = np.random.default_rng(3)
    probability = rng.random(CLIENTS)
    churned = rng.random(CLIENTS) < probability
    calibrated = evaluate(frame(probability, churned, np.zeros(CLIENTS)))["prediction"]
    for point in calibrated["reliability"]:
        assert point["observed"] == pytest.approx(point["mean_predicted"], abs=0.04)
    assert calibrated["mean_probability"] == pytest.approx(churned.mean(), abs=0.01)
    # E[(p - y)^2] for y ~ Bernoulli(p), p uniform: E[p (1 - p)] = 1/6.
    assert calibrated["brier_score"] == pytest.approx(1 / 6, abs=0.01)

    distorted = evaluate(frame(probability**3, churned, np.zeros(CLIENTS)))["prediction"]
    gaps = [abs(p["observed"] - p["mean_predicted"]) for p in distorted["reliability"]]
    assert max(gaps) > 0.2
    # The same ranking: AUC does not see calibration.
    assert distorted["roc_auc"] == pytest.approx(calibrated["roc_auc"])


def test_top_share_precision_lift_and_bands() -> None:
    churned = np.array([True] * 10 + [False] * 90)
    score = np.concatenate([np.full(10, 80.0), np.full(90, 10.0)])
    figures = evaluate(frame(score / 100, churned, score))
    seed = figures["seed_score"]
    assert seed["roc_auc"] == 1.0
    assert seed["top_10_percent"] == {"precision": 1.0, "lift": pytest.approx(10.0)}
    assert seed["top_5_percent"]["precision"] == 1.0
    assert figures["risk_bands"]["share_flagged_high_or_critical"] == pytest.approx(0.10)
    assert figures["risk_bands"]["precision_flagged"] == 1.0


def test_dates_whose_churn_is_not_known_yet_are_refused() -> None:
    today = dt.date(2026, 12, 7)
    plan = plan_backtest(
        "00000000-0000-0000-0000-000000000001", every_days=30, horizon_days=180, now=today
    )
    assert plan.dates[-1] == today - dt.timedelta(days=180)
    assert len(plan.dates) == 6
    with pytest.raises(Exception, match="too recent"):
        plan_backtest("00000000-0000-0000-0000-000000000001", end=dt.date(2026, 11, 1), now=today)
