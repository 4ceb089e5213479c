"""The Dagster code location: each domain module owns its assets, sensors and schedules."""

from dagster import Definitions
from dagster_dbt import DbtCliResource

from dagster_cerniq import analytics, churn, feedback, hitl, lifecycle, referrals, tenants
from dagster_cerniq.dbt_project import cerniq_dbt_project, dbt_executable
from dagster_cerniq.outbox import OutboxChannel
from dagster_cerniq.resources import CerniqDatabase
from dagster_cerniq.sentiment.asset import sentiment_analysis

defs = Definitions(
    assets=[
        sentiment_analysis,
        analytics.dbt_detection,
        analytics.dbt_evaluation,
        lifecycle.nurturing_state,
        churn.churn_signals,
        churn.churn_factors,
        lifecycle.state_transitions,
        feedback.nps_surveys,
        referrals.referral_requests,
        hitl.hitl_tasks,
    ],
    jobs=[tenants.nurturing_job, hitl.hitl_sla_job, analytics.dbt_data_tests_job],
    sensors=[tenants.tenant_partitions_sync, tenants.tenant_events_sensor],
    schedules=[
        tenants.daily_evaluation,
        hitl.hitl_sla_every_15_minutes,
        analytics.dbt_data_tests_daily,
    ],
    resources={
        "dbt": DbtCliResource(project_dir=cerniq_dbt_project(), dbt_executable=dbt_executable()),
        "database": CerniqDatabase(),
        "channel": OutboxChannel(),
    },
)
