"""A client's churn score history as readable lines (`cerniq explain`, SPEC §5 "Score history"):
who the client is, the trend of its score, and which factors moved the score between two
evaluations, with the evidence behind them.

The arithmetic is the database's (`cerniq_churn_score_trend` and `cerniq_churn_score_movers`,
migration 016): this module picks the two dates and prints what those functions return."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import psycopg

from dagster_cerniq.ops.errors import CerniqError

SQL = Path(__file__).with_name("sql")
# How far back the trend goes from --to (further back when --from is earlier): a season of daily
# evaluations, enough to see a drift without scrolling through a year.
TREND_DAYS = 90
# The sparkline's levels, for scores 0-100.
SPARK_LEVELS = "▁▂▃▄▅▆▇█"
# Evidence is quoted, not reproduced: a line per signal, at most this many per factor.
EVIDENCE_CHARS = 100
EVIDENCE_PER_FACTOR = 3


def client_explanation(
    conn: psycopg.Connection,
    client_id: UUID,
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
) -> list[str]:
    """The lines of `cerniq explain`; from_date defaults to the evaluation before to_date, which
    defaults to the latest. A date without an evaluation is a CerniqError."""
    client = conn.execute(_sql("explain_client"), {"client": client_id}).fetchone()
    if client is None:
        raise CerniqError(f"no client with id {client_id}")
    name, tenant_id, tenant_name, segment, state, state_since, history_dates = client
    standing = f"{state} since {state_since}" if state else "no lifecycle state yet"
    lines = [
        f"Client {name} ({client_id})",
        f"  tenant {tenant_name} ({tenant_id}); segment {segment or 'none'}; {standing}",
    ]
    if not history_dates:
        lines.append("No churn score history: the client has not been evaluated yet.")
        return lines

    to_date = to_date or history_dates[-1]
    _require_evaluation(client_id, to_date, history_dates, "--to")
    if from_date is None:
        earlier = [day for day in history_dates if day < to_date]
        from_date = earlier[-1] if earlier else None
    else:
        _require_evaluation(client_id, from_date, history_dates, "--from")
        if from_date >= to_date:
            raise CerniqError(f"--from {from_date} is not before --to {to_date}")

    trend_start = to_date - dt.timedelta(days=TREND_DAYS)
    if from_date is not None:
        trend_start = min(trend_start, from_date)
    params = {"tenant": tenant_id, "client": client_id, "to_date": to_date}
    trend = conn.execute(_sql("explain_trend"), {**params, "from_date": trend_start}).fetchall()
    lines += _trend_lines(trend, hidden=sum(day < trend_start for day in history_dates))

    if from_date is None:
        lines.append(f"Only one evaluation up to {to_date}: nothing to compare it with yet.")
        return lines
    movers = conn.execute(_sql("explain_movers"), {**params, "from_date": from_date}).fetchall()
    scores = {day: (score, risk_level) for day, score, risk_level, *_ in trend}
    return lines + _mover_lines(from_date, to_date, scores, movers)


def _require_evaluation(
    client_id: UUID, day: dt.date, history_dates: list[dt.date], option: str
) -> None:
    if day not in history_dates:
        raise CerniqError(
            f"{option} {day}: client {client_id} was not evaluated as of that date "
            f"({len(history_dates)} evaluation(s), {history_dates[0]} to {history_dates[-1]})"
        )


def _trend_lines(trend: list[tuple], hidden: int) -> list[str]:
    spark = "".join(_spark(score) for _, score, *_ in trend)
    lines = [
        f"Churn score, {len(trend)} evaluation(s) from {trend[0][0]} to {trend[-1][0]}: {spark}"
    ]
    if hidden:
        lines.append(f"  ({hidden} earlier evaluation(s) not shown: --from DATE reaches them)")
    for day, score, risk_level, probability, churn_date, change in trend:
        moved = "" if change is None else f"{_arrow(change)} {change:+.2f}"
        chance = "n/a" if probability is None else f"{probability:.1f}%"
        lines.append(
            f"  {day}  {score:6.2f} {risk_level:<8} {moved:<9}  churn probability {chance}, "
            f"predicted churn date {churn_date or 'none'}"
        )
    return lines


def _mover_lines(
    from_date: dt.date,
    to_date: dt.date,
    scores: dict[dt.date, tuple[Decimal, str]],
    movers: list[tuple],
) -> list[str]:
    (before, level_before), (after, level_after) = scores[from_date], scores[to_date]
    lines = [
        f"From {from_date} to {to_date} the score moved {after - before:+.2f} "
        f"({before:.2f} {level_before} → {after:.2f} {level_after}); by factor:"
    ]
    unchanged = []
    for factor, value_before, value_after, _, _, change, evidence_before, evidence_after in movers:
        if change == 0 and value_before == value_after:
            unchanged.append(factor)
            continue
        if value_before is None:
            how, evidence, quoted_as = f"new, value {value_after:.2f}", evidence_after, ""
        elif value_after is None:
            how, evidence, quoted_as = f"cleared, was {value_before:.2f}", evidence_before, "was "
        elif value_before == value_after:
            # Its share moved with the weights: its own (more or fewer signals) or the others'.
            signals = len(evidence_before), len(evidence_after)
            weighed = (
                f"{signals[0]} → {signals[1]} signals"
                if signals[0] != signals[1]
                else "the other factors changed"
            )
            how = f"same value {value_after:.2f}, {weighed}"
            evidence, quoted_as = evidence_after, ""
        else:
            how = f"value {value_before:.2f} → {value_after:.2f}"
            evidence, quoted_as = evidence_after, ""
        lines.append(f"  {change:+7.2f}  {factor}  {how}")
        lines += [
            f"           {quoted_as}{_quote(item)}" for item in evidence[:EVIDENCE_PER_FACTOR]
        ]
        if len(evidence) > EVIDENCE_PER_FACTOR:
            lines.append(f"           … and {len(evidence) - EVIDENCE_PER_FACTOR} more signal(s)")
    if not movers:
        lines.append("  no factors at either date")
    if unchanged:
        lines.append(f"  unchanged: {', '.join(unchanged)}")
    return lines


def _quote(evidence: dict) -> str:
    """One evidence element: its source (a message, an invoice …), its text shortened, its
    strength."""
    text = re.sub(r"\s+", " ", evidence.get("evidence_text") or "").strip()
    if len(text) > EVIDENCE_CHARS:
        text = text[: EVIDENCE_CHARS - 1].rstrip() + "…"
    source = " ".join(
        str(part)
        for part in (evidence.get("evidence_source_type"), evidence.get("evidence_source_id"))
        if part
    )
    quoted = f'"{text}"' if text else "(no text)"
    return f"{source or 'source unknown'}: {quoted} (strength {evidence.get('strength')})"


def _spark(score: Decimal) -> str:
    level = round(max(0, min(100, score)) * (len(SPARK_LEVELS) - 1) / 100)
    return SPARK_LEVELS[level]


def _arrow(change: Decimal) -> str:
    return "↑" if change > 0 else "↓" if change < 0 else "→"


def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")
