-- B10: a CRITICAL or newly HIGH client (fct_churn_scores.needs_escalation) is escalated.
select
    f.tenant_id,
    f.client_id,
    f.hitl_priority as priority,
    'CLIENT' as entity_type,
    f.client_id as entity_id,
    'Churn risk ' || f.risk_level || ' (score ' || f.churn_score || ')' as reason,
    jsonb_build_object(
        'risk_level', f.risk_level,
        'churn_score', f.churn_score,
        'strongest_signal_type', f.strongest_signal_type,
        'strongest_signal_evidence', f.strongest_signal_evidence,
        'factor_breakdown', f.factor_breakdown
    ) as context
from {fct_churn_scores} as f
where f.tenant_id = any(%(tenants)s::uuid[]) and f.needs_escalation
