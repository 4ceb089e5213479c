-- Realised churn (SPEC §5) of each client scored as of each replayed date: no completed order in
-- (as_of, as_of + horizon], read from every order the source database holds now.
select
    d.as_of,
    c.id as client_id,
    not exists (
        select 1
        from gold_orders as o
        where
            o.tenant_id = c.tenant_id
            and o.client_id = c.id
            and cerniq_order_is_completed(o.status, o.delivered_at)
            and cast(o.delivered_at at time zone 'UTC' as date) > d.as_of
            and cast(o.delivered_at at time zone 'UTC' as date) <= d.as_of + %(horizon_days)s
    ) as churned
from gold_clients as c
cross join unnest(%(dates)s::date[]) as d (as_of)
where c.tenant_id = %(tenant_id)s
