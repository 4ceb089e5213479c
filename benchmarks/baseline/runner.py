"""One baseline run as of a date: the seed's queues, drained in the order their jobs feed each
other, each with the seed's concurrency.

A1 (completed orders) and the feedback mirrors first, then B9 (detection, then the sweep),
B10, A2 and A6. Draining a queue before the next starts is what makes A2 read this run's
scores (SPEC §4); within a queue, jobs run one client or event at a time, as the seed's do.
"""

import datetime as dt
from dataclasses import asdict
from uuid import UUID

import psycopg

from benchmarks.baseline import (
    a1_order_completed,
    a2_state_evaluate,
    a6_transition_execute,
    b9_signal_detect,
    b10_score_calculate,
)
from benchmarks.baseline.context import RunContext
from benchmarks.baseline.params import load_parameters
from benchmarks.baseline.workers import QueueStats, drain
from dagster_cerniq.lib.run_dates import logical_time

# The seed's `concurrency` of each worker (docs/seeds/002: A1 10, A2 20, A6 10, B9 20, B10 15).
# The feedback mirrors and the sweep are not seed workers: they get A1's and B9's.
CONCURRENCY = {"A1": 10, "A2": 20, "A6": 10, "B9": 20, "B10": 15}

QUEUES = (
    ("A1 lifecycle:order:completed", "A1", a1_order_completed.client_order_jobs,
     a1_order_completed.handle_client_orders),
    ("A1 feedback mirrors (NPS, referrals)", "A1", a1_order_completed.feedback_jobs,
     a1_order_completed.handle_feedback),
    ("B9 churn:signal:detect", "B9", b9_signal_detect.detection_jobs,
     b9_signal_detect.handle_detection),
    ("B9 resolve cleared signals", "B9", b9_signal_detect.sweep_jobs,
     b9_signal_detect.handle_sweep),
    ("B10 churn:score:calculate", "B10", b10_score_calculate.score_jobs,
     b10_score_calculate.handle_score),
    ("A2 lifecycle:state:evaluate", "A2", a2_state_evaluate.evaluation_jobs,
     a2_state_evaluate.handle_evaluation),
    ("A6 state:transition:execute", "A6", a6_transition_execute.transition_jobs,
     a6_transition_execute.handle_transition),
)  # fmt: skip


def run_baseline(
    database_url: str,
    tenant_ids: list[UUID],
    as_of: dt.date,
    previous_as_of: dt.date | None,
) -> list[dict[str, object]]:
    """Everything the seed's workers do for the events up to `as_of` not handled by the run as
    of `previous_as_of` (None: all of them). Returns each queue's jobs and seconds."""
    ctx = RunContext(
        tenant_ids=tenant_ids,
        as_of=as_of,
        logical_time=logical_time(as_of),
        since=logical_time(previous_as_of) if previous_as_of else None,
        params=load_parameters(),
    )
    stats: list[QueueStats] = []
    with psycopg.connect(database_url, autocommit=True) as producer:
        for name, worker, jobs, handler in QUEUES:
            stats.append(
                drain(database_url, name, CONCURRENCY[worker], jobs(producer, ctx), handler(ctx))
            )
    return [asdict(queue) for queue in stats]
