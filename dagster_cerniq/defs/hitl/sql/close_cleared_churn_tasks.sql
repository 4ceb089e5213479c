-- Open churn tasks whose cause has cleared (fct_state_eligibility.is_risk_cleared) are closed,
-- with a resolution that says so.
update gold_hitl_tasks_e5 as t set
    status = 'RESOLVED',
    resolution = 'AUTO_CLOSED_RISK_CLEARED',
    resolution_notes = 'Closed automatically: the client is no longer at risk (churn score '
    || coalesce(e.churn_score::text, '-') || ', '
    || coalesce(e.risk_level, '-') || ', state ' || e.state_after_transition
    || ') as of ' || %(as_of)s::text,
    resolved_at = %(logical_time)s,
    updated_at = now()
from {fct_state_eligibility} as e
where
    t.tenant_id = any(%(tenants)s::uuid[])
    and t.task_type = any(%(churn_task_types)s)
    and cerniq_hitl_task_is_open(t.status)
    and e.tenant_id = t.tenant_id
    and e.client_id = t.client_id
    and e.is_risk_cleared
