-- SPEC §5: an active NEIGHBOR relationship whose pair is no longer within the radius
-- (fct_client_neighbors) is deactivated, with why: a company gone, a location removed, or
-- moved out of the radius.
update gold_entity_relationships as r set
    is_active = false,
    deactivated_at = %(logical_time)s,
    deactivation_reason = gone.reason,
    updated_at = now()
from (
    select
        e.id,
        case
            when a.id is null or b.id is null then 'CLIENT_REMOVED'
            when a.location is null or b.location is null then 'LOCATION_REMOVED'
            else 'OUT_OF_RADIUS'
        end as reason
    from gold_entity_relationships as e
    left join gold_clients as a on e.source_entity_id = a.id
    left join gold_clients as b on e.target_entity_id = b.id
    where
        e.tenant_id = any(%(tenants)s::uuid[])
        and e.relation_type = 'NEIGHBOR'
        and e.is_active
        and not exists (
            select 1
            from {fct_client_neighbors} as n
            where
                n.tenant_id = e.tenant_id
                and n.client_a_id = e.source_entity_id
                and n.client_b_id = e.target_entity_id
        )
) as gone
where r.id = gone.id
