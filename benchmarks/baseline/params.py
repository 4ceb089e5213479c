"""The baseline's parameters, read from the same files the dbt project reads: the seeds CSVs
(weights, strengths, risk bands, SLAs, win-back steps, onboarding sequence) and the `vars:` of
dbt_project.yml (thresholds). Only the rule logic is ported; no number is restated here."""

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dagster_cerniq.defs.dbt.project import DBT_PROJECT_DIR, dbt_var_defaults

CENTS = Decimal("0.01")


def rounded(value: Decimal, places: Decimal = CENTS) -> Decimal:
    """PostgreSQL's round(numeric, n): halves away from zero."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True)
class SignalRule:
    """One row of seeds/churn_signal_rules.csv."""

    signal_type: str
    signal_category: str
    evidence_source_type: str
    weight: Decimal
    confidence: Decimal
    base_strength: Decimal
    strength_per_unit: Decimal
    min_strength: Decimal
    max_strength: Decimal
    cleared_resolution: str

    def strength(self, measure: Decimal) -> Decimal:
        raw = self.base_strength + self.strength_per_unit * measure
        return rounded(min(self.max_strength, max(self.min_strength, raw)))


@dataclass(frozen=True)
class RiskBand:
    """One row of seeds/churn_risk_bands.csv."""

    risk_level: str
    min_score: Decimal
    is_at_risk: bool
    escalation: str  # ALWAYS, ON_ENTRY or NEVER
    hitl_priority: str


@dataclass(frozen=True)
class TaskSla:
    """The SLA of HITL tasks of one priority, and how priorities rank."""

    sla_hours: Decimal
    warning_hours: Decimal
    rank: Decimal


@dataclass(frozen=True)
class Parameters:
    rules: dict[str, SignalRule]
    bands: list[RiskBand]  # highest min_score first
    sla: dict[str, TaskSla]  # by HITL priority
    winback_steps: list[dict[str, object]]
    onboarding_days: int
    vars: dict[str, object]

    def var(self, name: str) -> Decimal:
        return _decimal(self.vars[name])

    def int_var(self, name: str) -> int:
        return int(self.vars[name])

    def band(self, score: Decimal) -> RiskBand:
        return next(band for band in self.bands if band.min_score <= score)

    def band_of_level(self, risk_level: str) -> RiskBand:
        return next(band for band in self.bands if band.risk_level == risk_level)

    def onboarding_complete_at(self, started_at: dt.datetime) -> dt.datetime:
        return started_at + dt.timedelta(days=self.onboarding_days)


def _rows(name: str) -> list[dict[str, str]]:
    with (DBT_PROJECT_DIR / "seeds" / f"{name}.csv").open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _default_rows(name: str) -> list[dict[str, str]]:
    """The rows that apply to every tenant (blank tenant_id) of a per-tenant seed."""
    return [row for row in _rows(name) if not row.get("tenant_id")]


def _task_slas() -> dict[str, TaskSla]:
    """SLAs of HITL tasks by priority: the default rows of seeds/hitl_sla_policy.csv."""
    return {
        row["priority"]: TaskSla(
            sla_hours=_decimal(row["sla_hours"]),
            warning_hours=_decimal(row["sla_hours"]) * _decimal(row["warning_ratio"]),
            rank=_decimal(row["priority_rank"]),
        )
        for row in _default_rows("hitl_sla_policy")
    }


def _onboarding_days() -> int:
    """The length of the default onboarding sequence: its last step's day offset."""
    return max(int(row["day_offset"]) for row in _default_rows("onboarding_sequence_steps"))


def load_parameters() -> Parameters:
    variables = dbt_var_defaults()
    rules = {
        row["signal_type"]: SignalRule(
            signal_type=row["signal_type"],
            signal_category=row["signal_category"],
            evidence_source_type=row["evidence_source_type"],
            cleared_resolution=row["cleared_resolution"],
            **{
                field: _decimal(row[field])
                for field in (
                    "weight",
                    "confidence",
                    "base_strength",
                    "strength_per_unit",
                    "min_strength",
                    "max_strength",
                )
            },
        )
        for row in _rows("churn_signal_rules")
    }
    bands = sorted(
        (
            RiskBand(
                risk_level=row["risk_level"],
                min_score=_decimal(row["min_score"]),
                is_at_risk=row["is_at_risk"].strip().lower() == "true",
                escalation=row["escalation"],
                hitl_priority=row["hitl_priority"],
            )
            for row in _rows("churn_risk_bands")
        ),
        key=lambda band: band.min_score,
        reverse=True,
    )
    steps = [
        {
            key: int(value) if key in ("step_number", "day_offset") else value
            for key, value in row.items()
        }
        for row in sorted(_rows("winback_campaign_steps"), key=lambda r: int(r["step_number"]))
    ]
    return Parameters(
        rules=rules,
        bands=bands,
        sla=_task_slas(),
        winback_steps=steps,
        onboarding_days=_onboarding_days(),
        vars=variables,
    )
