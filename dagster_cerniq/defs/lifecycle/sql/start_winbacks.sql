-- CHURNED -> a win-back campaign with the tenant's steps (seed winback_campaign_steps).
insert into gold_winback_campaigns (
    tenant_id, client_id, nurturing_state_id, triggered_by, status, steps, started_at
)
select
    moved.tenant_id,
    moved.client_id,
    moved.nurturing_state_id,
    'CHURN_DETECTED',
    'ACTIVE',
    (
        select jsonb_agg(to_jsonb(step) order by step.step_number)
        from {winback_campaign_steps} as step
    ),
    %(logical_time)s
from this_run_transitions as moved
where moved.to_state = 'CHURNED'
on conflict (tenant_id, client_id) where status = 'ACTIVE' do nothing
