"""`cerniq explain --client UUID [--from DATE] [--to DATE]` over hand-written score history
(the database of tests/db/test_score_movers.py): the client, the trend, the factors that moved
the score with their evidence; a clear line without history; one error line otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from click.testing import CliRunner, Result

from dagster_cerniq.ops.cli import cli
from dagster_cerniq.ops.errors import CerniqError
from tests.db.test_score_movers import (
    FIRST,
    LONG_OFFER,
    SECOND,
    THIRD,
    UNPAID,
    UNPAID_AGAIN,
    Clients,
    history_fixture,  # noqa: F401 - the fixture `history`, a database of its own here
)


def explain(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["explain", *args], env={"CERNIQ_DATABASE_URL": url})


def test_latest_move_explained_by_factor(history: tuple[str, Clients]) -> None:
    url, clients = history
    result = explain(url, "--client", str(clients.evaluated))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == [
        f"Client Ferma Dobrogea SRL ({clients.evaluated})",
        f"  tenant Agro Sud ({clients.tenant}); segment FERMA_MARE; AT_RISK since 2026-10-01",
    ]
    assert lines[2] == f"Churn score, 3 evaluation(s) from {FIRST} to {THIRD}: ▄▆▅"
    assert lines[3].split() == [
        str(FIRST), "43.75", "MEDIUM", "churn", "probability", "41.5%,", "predicted", "churn",
        "date", "none",
    ]  # fmt: skip
    assert lines[4].split()[:5] == [str(SECOND), "66.15", "HIGH", "↑", "+22.40"]
    assert lines[5].split()[:5] == [str(THIRD), "54.81", "HIGH", "↓", "-11.34"]
    assert lines[5].endswith("predicted churn date 2027-01-05")
    # By default: from the evaluation before the latest to the latest.
    moved = lines[lines.index(
        f"From {SECOND} to {THIRD} the score moved -11.34 (66.15 HIGH → 54.81 HIGH); by factor:"
    ) + 1:]  # fmt: skip
    factors = [line.split()[:2] for line in moved if not line.startswith(" " * 5)]
    assert factors == [
        ["-9.23", "DAYS_INACTIVE"],
        ["-8.97", "COMPETITOR_MENTION"],
        ["+7.78", "PAYMENT_DELAY"],
        ["-0.91", "NEGATIVE_SENTIMENT"],
    ]
    assert "cleared, was 40.00" in moved[0]
    assert "same value 70.00, 2 → 1 signals" in moved[1]
    new_invoice = moved[moved.index(next(line for line in moved if "PAYMENT_DELAY" in line)) + 1]
    assert new_invoice.split() == [
        "PAYMENT", UNPAID_AGAIN["evidence_source_id"] + ":", '"Factura', "FV-0518", "restantă",
        "de", "16", 'zile"', "(strength", "35)",
    ]  # fmt: skip
    assert moved[-2].split()[:6] == ["-0.91", "NEGATIVE_SENTIMENT", "value", "80.00", "→", "53.33"]
    assert '"Iar a întârziat comanda." (strength 53)' in moved[-1]


def test_chosen_dates_quote_evidence_shortened(history: tuple[str, Clients]) -> None:
    url, clients = history
    result = explain(url, "--client", str(clients.evaluated), "--from", "2026-09-24", "--to",
                     "2026-10-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = (
        f"From {FIRST} to {SECOND} the score moved +22.40 (43.75 MEDIUM → 66.15 HIGH); by factor:"
    )
    assert header in lines
    competitor = next(line for line in lines if " COMPETITOR_MENTION " in line)
    assert competitor.split(maxsplit=2) == [
        "+6.06", "COMPETITOR_MENTION", "same value 70.00, 1 → 2 signals"
    ]  # fmt: skip
    long_quote = next(line for line in lines if LONG_OFFER["evidence_source_id"] in line)
    quoted = long_quote.split('"')[1]
    assert quoted.endswith("…") and len(quoted) == 100
    assert LONG_OFFER["evidence_text"].startswith(quoted[:-1])
    cleared = lines.index(next(line for line in lines if " PAYMENT_DELAY " in line))
    assert lines[cleared].split()[:2] == ["-10.00", "PAYMENT_DELAY"]
    assert lines[cleared + 1].split()[:2] == ["was", "PAYMENT"]
    assert UNPAID["evidence_source_id"] in lines[cleared + 1]


def test_one_evaluation_or_none_is_said_plainly(history: tuple[str, Clients]) -> None:
    url, clients = history
    once = explain(url, "--client", str(clients.once))
    assert once.exit_code == 0, once.output
    assert once.output.splitlines()[-2:] == [
        f"  {THIRD}   54.81 HIGH                churn probability n/a, "
        "predicted churn date 2027-01-05",
        f"Only one evaluation up to {THIRD}: nothing to compare it with yet.",
    ]
    never = explain(url, "--client", str(clients.never))
    assert never.exit_code == 0, never.output
    assert never.output.splitlines()[1:] == [
        f"  tenant Agro Sud ({clients.tenant}); segment FERMA_MARE; no lifecycle state yet",
        "No churn score history: the client has not been evaluated yet.",
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--to", "2026-10-02"), "--to 2026-10-02: client {client} was not evaluated as of that "
         "date (3 evaluation(s), 2026-09-24 to 2026-10-08)"),
        (("--from", "2026-10-08", "--to", "2026-10-01"),
         "--from 2026-10-08 is not before --to 2026-10-01"),
    ],
)  # fmt: skip
def test_dates_without_an_evaluation_are_refused(
    history: tuple[str, Clients], args: tuple[str, ...], expected: str
) -> None:
    url, clients = history
    result = explain(url, "--client", str(clients.evaluated), *args)
    assert isinstance(result.exception, CerniqError)
    assert str(result.exception) == expected.format(client=clients.evaluated)


def test_unknown_client_is_one_error_line(history: tuple[str, Clients]) -> None:
    url, _ = history
    unknown = uuid.uuid4()
    result = subprocess.run(
        [sys.executable, "-m", "dagster_cerniq", "explain", "--client", str(unknown)],
        capture_output=True,
        text=True,
        env={**os.environ, "CERNIQ_DATABASE_URL": url},
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr == f"cerniq: error: no client with id {unknown}\n"
    assert result.stdout == ""
