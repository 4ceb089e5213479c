-- gold_proximity_scores holds the NEIGHBOR pairs only (SPEC §5): a pair out of the radius goes.
delete from gold_proximity_scores as p
where
    p.tenant_id = any(%(tenants)s::uuid[])
    and not exists (
        select 1
        from {fct_client_neighbors} as n
        where
            n.tenant_id = p.tenant_id
            and n.client_a_id = p.client_a_id
            and n.client_b_id = p.client_b_id
    )
