"""onboarding:sequence:start - the onboarding content sequence of each ONBOARDING client, from
the dbt marts fct_onboarding_drips and fct_onboarding_progress: steps written to
gold_content_drips (each with its gold_nurturing_actions row), due steps sent through the
channel or skipped when too late, and onboarding_completed_at set when the sequence ends -
which the state machine reads.

Part of the nurturing_state step (A1 queues the sequence when it creates the state), so the
completion is stored before this run's state eligibility is computed."""

from dataclasses import dataclass

import psycopg
from psycopg import sql

from dagster_cerniq.outbox import ChannelAdapter
from dagster_cerniq.write_back import RunScope, count, execute, mart, stage

STEPS_TO_SCHEDULE = """
    select d.*, s.id as state_id, gen_random_uuid() as drip_id, gen_random_uuid() as action_id
    from {drips} d
    join gold_nurturing_state s on s.tenant_id = d.tenant_id and s.client_id = d.client_id
    where d.tenant_id = any(%(tenants)s::uuid[]) and s.current_state = 'ONBOARDING'
      and not exists (
          select 1 from gold_content_drips g
          where g.tenant_id = d.tenant_id and g.client_id = d.client_id
            and g.sequence_name = d.sequence_name and g.step_number = d.step_number)
"""

# One statement: the action and its drip reference each other and land together.
SCHEDULE_STEPS = """
    with actions as (
        insert into gold_nurturing_actions (
            id, tenant_id, nurturing_state_id, client_id, action_type, action_category,
            trigger_type, trigger_event, trigger_data, channel, content_subject, status,
            scheduled_at, correlation_id, batch_id)
        select action_id, tenant_id, state_id, client_id, 'CONTENT_DRIP', 'NURTURING',
               'SCHEDULED', 'ONBOARDING_SEQUENCE',
               jsonb_build_object('sequence_name', sequence_name, 'step_number', step_number,
                                  'content_type', content_type),
               channel, subject, 'SCHEDULED', scheduled_at, drip_id, %(batch_id)s
        from {steps}
    )
    insert into gold_content_drips (
        id, tenant_id, client_id, nurturing_state_id, sequence_name, step_number, content_type,
        channel, content_subject, status, scheduled_at, nurturing_action_id)
    select drip_id, tenant_id, client_id, state_id, sequence_name, step_number,
           content_type::content_type_enum, channel, subject, 'SCHEDULED', scheduled_at, action_id
    from {steps}
"""

DUE_DRIPS = """
    select g.tenant_id, g.client_id, g.channel, 'CONTENT_DRIP' as message_type,
           g.content_subject as subject,
           jsonb_build_object('sequence_name', g.sequence_name, 'step_number', g.step_number,
                              'content_type', g.content_type) as payload,
           'gold_content_drips' as source_table, g.id as source_id
    from gold_content_drips g
    join {drips} d
        on d.tenant_id = g.tenant_id and d.client_id = g.client_id
       and d.sequence_name = g.sequence_name and d.step_number = g.step_number
    where g.tenant_id = any(%(tenants)s::uuid[]) and g.status = 'SCHEDULED'
      and d.is_due and not d.is_past_send_window
"""

MARK_SENT = """
    with sent as (
        update gold_content_drips set status = 'SENT', sent_at = %(logical_time)s,
                                      updated_at = now()
        where id = any(%(sent)s::uuid[]) and status = 'SCHEDULED'
        returning tenant_id, client_id, nurturing_action_id
    ),
    actions as (
        update gold_nurturing_actions a set status = 'SENT', executed_at = %(logical_time)s
        from sent where a.id = sent.nurturing_action_id
    )
    update gold_nurturing_state s set last_content_sent_at = %(logical_time)s, updated_at = now()
    from (select distinct tenant_id, client_id from sent) c
    where s.tenant_id = c.tenant_id and s.client_id = c.client_id
"""

# Too late to be worth sending (past the tenant's send window), or the client left onboarding.
CLOSE_UNSENDABLE = """
    with closed as (
        update gold_content_drips g set
            status = case when s.current_state = 'ONBOARDING' then 'SKIPPED' else 'CANCELLED' end,
            updated_at = now()
        from gold_nurturing_state s
        left join {drips} d on d.tenant_id = s.tenant_id and d.client_id = s.client_id
        where g.tenant_id = any(%(tenants)s::uuid[]) and g.status = 'SCHEDULED'
          and s.tenant_id = g.tenant_id and s.client_id = g.client_id
          and (d.step_number is null or d.step_number = g.step_number)
          -- No step row: the sequence ended before the send window (history).
          and (s.current_state <> 'ONBOARDING' or d.step_number is null
               or (d.is_due and d.is_past_send_window))
        returning g.nurturing_action_id, g.status
    ),
    actions as (
        update gold_nurturing_actions a set status = closed.status
        from closed where a.id = closed.nurturing_action_id
    )
    select count(*) from closed
"""

COMPLETE_ONBOARDING = """
    update gold_nurturing_state s set onboarding_completed_at = d.onboarding_completed_at,
                                      updated_at = now()
    from {progress} d
    where d.tenant_id = any(%(tenants)s::uuid[]) and d.onboarding_completed_at is not null
      and s.tenant_id = d.tenant_id and s.client_id = d.client_id
      and s.current_state = 'ONBOARDING' and s.onboarding_completed_at is null
"""


@dataclass(frozen=True)
class OnboardingChanges:
    steps_scheduled: int
    steps_sent: int
    steps_closed: int
    completed: int


def advance_onboarding(
    conn: psycopg.Connection, scope: RunScope, channel: ChannelAdapter
) -> OnboardingChanges:
    marts = {"drips": "fct_onboarding_drips", "progress": "fct_onboarding_progress"}
    steps = stage(conn, "onboarding_steps_to_schedule", STEPS_TO_SCHEDULE, scope.params, **marts)
    scheduled = execute(conn, SCHEDULE_STEPS, scope, steps=steps)
    due = sql.SQL(DUE_DRIPS).format(drips=mart("fct_onboarding_drips"))
    sent = channel.send(conn, due, MARK_SENT, scope.params)
    closed = count(conn, CLOSE_UNSENDABLE, scope, **marts)
    completed = execute(conn, COMPLETE_ONBOARDING, scope, **marts)
    return OnboardingChanges(
        steps_scheduled=scheduled, steps_sent=sent, steps_closed=closed, completed=completed
    )
