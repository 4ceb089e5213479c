-- AT_RISK -> a churn-intervention HITL task, with the priority of the client's risk level.
select
    f.tenant_id,
    f.client_id,
    f.hitl_priority as priority,
    'CLIENT' as entity_type,
    f.client_id as entity_id,
    'Entered AT_RISK: churn score ' || f.churn_score as reason,
    jsonb_build_object(
        'risk_level', f.risk_level,
        'churn_score', f.churn_score,
        'strongest_signal_type', f.strongest_signal_type,
        'strongest_signal_evidence', f.strongest_signal_evidence,
        'factor_breakdown', f.factor_breakdown
    ) as context
from this_run_transitions as moved
inner join {fct_churn_scores} as f
    on moved.tenant_id = f.tenant_id and moved.client_id = f.client_id
where moved.to_state = 'AT_RISK'
