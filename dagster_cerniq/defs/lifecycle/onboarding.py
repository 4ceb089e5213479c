"""`onboarding:sequence:start`: the onboarding content sequence of each ONBOARDING client, from
the dbt marts fct_onboarding_drips and fct_onboarding_progress: steps written to
gold_content_drips (each with its gold_nurturing_actions row), due steps sent through the
channel or skipped when too late, and onboarding_completed_at set when the sequence ends -
which the state machine reads.

Part of the nurturing_state step (A1 queues the sequence when it creates the state), so the
completion is stored before this run's state eligibility is computed."""

from dataclasses import dataclass

import psycopg

from dagster_cerniq.lib.outbox import ChannelAdapter
from dagster_cerniq.lib.write_back import Reads, RunScope, count, execute, stage, statements

READS = Reads(models=("fct_onboarding_drips", "fct_onboarding_progress"))
SQL = statements(__file__, READS)
STEPS_TO_SCHEDULE = SQL("onboarding_steps_to_schedule")
SCHEDULE_STEPS = SQL("schedule_onboarding_steps")
DRIPS_DUE = SQL("onboarding_drips_due")
MARK_SENT = SQL("mark_onboarding_drips_sent")
CLOSE_UNSENDABLE = SQL("close_unsendable_drips")
COMPLETE_ONBOARDING = SQL("complete_onboarding")


@dataclass(frozen=True)
class OnboardingChanges:
    steps_scheduled: int
    steps_sent: int
    steps_closed: int
    completed: int


def advance_onboarding(
    conn: psycopg.Connection, scope: RunScope, channel: ChannelAdapter
) -> OnboardingChanges:
    stage(conn, "onboarding_steps_to_schedule", STEPS_TO_SCHEDULE, scope)
    scheduled = execute(conn, SCHEDULE_STEPS, scope)
    sent = channel.send(conn, DRIPS_DUE, MARK_SENT, scope)
    closed = count(conn, CLOSE_UNSENDABLE, scope)
    completed = execute(conn, COMPLETE_ONBOARDING, scope)
    return OnboardingChanges(
        steps_scheduled=scheduled, steps_sent=sent, steps_closed=closed, completed=completed
    )
