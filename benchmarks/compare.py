"""Do the pipeline and the baseline end in the same place? Each check reads the same rows from
both databases, for the tenants the baseline ran, and lists the rows only one of them has."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

import psycopg


@dataclass(frozen=True)
class Check:
    name: str
    query: str  # rows of the tenants %(tenants)s; compared as sets
    # Strict checks are what the two must agree on (SPEC §3: states, scores, risk levels and the
    # signals behind them); the others are follow-ups, reported.
    strict: bool


CHECKS = (
    Check(
        "states",
        """
        select client_id, current_state::text, previous_state::text, churn_risk_score,
               churn_risk_level, is_at_risk
        from gold_nurturing_state where tenant_id = any(%(tenants)s)
        """,
        strict=True,
    ),
    Check(
        "churn scores",
        """
        select client_id, overall_churn_score, risk_level, active_signal_count,
               strongest_signal_type::text, strongest_signal_strength
        from gold_churn_factors where tenant_id = any(%(tenants)s)
        """,
        strict=True,
    ),
    Check(
        "churn signals",
        """
        select client_id, signal_type::text, evidence_source_id, strength, is_resolved,
               resolution_type, occurrence_count
        from gold_churn_signals where tenant_id = any(%(tenants)s)
        """,
        strict=True,
    ),
    Check(
        "transitions",
        """
        select client_id, trigger_event, executed_at from gold_nurturing_actions
        where tenant_id = any(%(tenants)s) and action_type = 'STATE_TRANSITION'
        """,
        strict=True,
    ),
    Check(
        "churn HITL tasks",
        """
        select client_id, task_type, priority from gold_hitl_tasks_e5
        where tenant_id = any(%(tenants)s)
          and task_type in ('CHURN_INTERVENTION', 'CHURN_ESCALATION')
        """,
        strict=False,
    ),
    Check(
        "KOL profiles",
        """
        select client_id, kol_tier, kol_score from gold_kol_profiles
        where tenant_id = any(%(tenants)s)
        """,
        strict=False,
    ),
    Check(
        "win-back campaigns",
        """
        select client_id, status from gold_winback_campaigns where tenant_id = any(%(tenants)s)
        """,
        strict=False,
    ),
    Check(
        "POST_ORDER surveys scheduled",
        """
        select order_id from gold_nps_surveys
        where tenant_id = any(%(tenants)s) and survey_type = 'POST_ORDER'
          and nurturing_action_id is not null
        """,
        strict=False,
    ),
)

EXAMPLES = 5


@dataclass
class CheckResult:
    name: str
    strict: bool
    rows: int
    only_in_pipeline: int
    only_in_baseline: int
    examples: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.only_in_pipeline == 0 and self.only_in_baseline == 0


def compare(pipeline_url: str, baseline_url: str, tenant_ids: Sequence[UUID]) -> list[CheckResult]:
    params = {"tenants": list(tenant_ids)}
    results = []
    with psycopg.connect(pipeline_url) as pipeline, psycopg.connect(baseline_url) as baseline:
        for check in CHECKS:
            ours = set(pipeline.execute(check.query, params).fetchall())
            theirs = set(baseline.execute(check.query, params).fetchall())
            only_ours, only_theirs = sorted(ours - theirs, key=str), sorted(theirs - ours, key=str)
            examples = [f"pipeline only: {row}" for row in only_ours[:EXAMPLES]]
            examples += [f"baseline only: {row}" for row in only_theirs[:EXAMPLES]]
            results.append(
                CheckResult(
                    check.name, check.strict, len(ours), len(only_ours), len(only_theirs),
                    examples,
                )
            )  # fmt: skip
    return results
