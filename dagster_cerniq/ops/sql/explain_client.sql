-- The client `cerniq explain` reads: who it is, where it stands, and its evaluation dates.
select
    clients.company_name,
    clients.tenant_id,
    tenants.name as tenant_name,
    clients.segment,
    states.current_state::text as current_state,
    states.state_changed_at::date as state_since,
    array(
        select history.as_of
        from gold_churn_score_history as history
        where history.tenant_id = clients.tenant_id and history.client_id = clients.id
        order by history.as_of
    ) as history_dates
from gold_clients as clients
inner join tenants on clients.tenant_id = tenants.id
left join gold_nurturing_state as states
    on clients.tenant_id = states.tenant_id and clients.id = states.client_id
where clients.id = %(client)s
