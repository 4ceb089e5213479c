-- Predictions of the run's tenants that this run did not make (no model, or the client's orders
-- no longer count) are removed: a stale probability must not rank a task.
delete from cerniq_churn_predictions as p
where
    p.tenant_id = any(%(tenants)s::uuid[])
    and not exists (
        select 1
        from new_churn_predictions as n
        where n.tenant_id = p.tenant_id and n.client_id = p.client_id
    )
