-- REACTIVATED -> the active win-back campaign succeeded, with the order that won the client back.
update gold_winback_campaigns as w set
    status = 'SUCCEEDED',
    outcome = 'REACTIVATED',
    ended_at = %(logical_time)s,
    reactivated_at = %(logical_time)s,
    reactivation_order_id = m.last_order_id,
    updated_at = now()
from this_run_transitions as moved
inner join {fct_client_order_metrics} as m
    on moved.tenant_id = m.tenant_id and moved.client_id = m.client_id
where
    moved.to_state = 'REACTIVATED'
    and w.tenant_id = moved.tenant_id
    and w.client_id = moved.client_id
    and w.status = 'ACTIVE'
