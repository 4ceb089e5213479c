"""The schedules, each as of the tick's day in Bucharest and keyed by its tick: every tenant
daily at 02:00, the HITL SLA clock every 15 minutes, the dbt data tests daily at 04:00."""

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from dagster_cerniq.defs.automation.jobs import dbt_data_tests_job, hitl_sla_job, nurturing_job
from dagster_cerniq.defs.automation.partitions import range_tags, tenant_partitions
from dagster_cerniq.lib.run_dates import AS_OF_TAG, BUSINESS_TIMEZONE


def every_tenant_run(context: ScheduleEvaluationContext, reason: str) -> RunRequest | SkipReason:
    """A scheduled run over every tenant partition."""
    keys = context.instance.get_dynamic_partitions(tenant_partitions.name)
    if not keys:
        return SkipReason("no tenant partitions yet")
    return scheduled_run(context, reason, range_tags(keys[0], keys[-1]))


def scheduled_run(
    context: ScheduleEvaluationContext, reason: str, tags: dict[str, str]
) -> RunRequest:
    """A run keyed by its schedule tick, as of the tick's day in Bucharest."""
    tick = context.scheduled_execution_time.astimezone(BUSINESS_TIMEZONE)
    return RunRequest(
        run_key=f"{reason}:{tick.isoformat()}", tags={**tags, AS_OF_TAG: tick.date().isoformat()}
    )


@schedule(
    name="daily_evaluation",
    job=nurturing_job,
    cron_schedule="0 2 * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every tenant, once a day, as one run (02:00 Europe/Bucharest).",
)
def daily_evaluation(context: ScheduleEvaluationContext):
    return every_tenant_run(context, "daily")


@schedule(
    name="hitl_sla_every_15_minutes",
    job=hitl_sla_job,
    cron_schedule="*/15 * * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="Every tenant's HITL SLA clock, every 15 minutes, as one run.",
)
def hitl_sla_every_15_minutes(context: ScheduleEvaluationContext):
    return every_tenant_run(context, "hitl-sla")


@schedule(
    name="dbt_data_tests_daily",
    job=dbt_data_tests_job,
    cron_schedule="0 4 * * *",
    execution_timezone=str(BUSINESS_TIMEZONE),
    default_status=DefaultScheduleStatus.RUNNING,
    description="The dbt data tests over every tenant, daily at 04:00, after the evaluation.",
)
def dbt_data_tests_daily(context: ScheduleEvaluationContext):
    return scheduled_run(context, "dbt-data-tests", {})
