"""The Dagster code location: each domain module owns its assets, sensors and schedules."""

from dagster import Definitions
from dagster_dbt import DbtCliResource

from dagster_cerniq import analytics, churn, lifecycle, tenants
from dagster_cerniq.dbt_project import cerniq_dbt_project, dbt_executable
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
    ],
    jobs=[tenants.nurturing_job],
    sensors=[tenants.tenant_partitions_sync, tenants.tenant_events_sensor],
    schedules=[tenants.daily_evaluation],
    resources={
        "dbt": DbtCliResource(project_dir=cerniq_dbt_project(), dbt_executable=dbt_executable()),
        "database": CerniqDatabase(),
    },
)
