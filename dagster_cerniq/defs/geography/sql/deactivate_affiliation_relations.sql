-- A MEMBER_OF or SAME_ASSOCIATION relationship this step made (evidence AFFILIATION) that the
-- memberships no longer imply (fct_affiliation_relations) is deactivated.
update gold_entity_relationships as r set
    is_active = false,
    deactivated_at = %(logical_time)s,
    deactivation_reason = 'MEMBERSHIP_ENDED',
    updated_at = now()
where
    r.tenant_id = any(%(tenants)s::uuid[])
    and r.relation_type in ('MEMBER_OF', 'SAME_ASSOCIATION')
    and r.evidence_source = 'AFFILIATION'
    and r.is_active
    and not exists (
        select 1
        from {fct_affiliation_relations} as f
        where
            f.tenant_id = r.tenant_id
            and f.relation_type = cast(r.relation_type as text)
            and f.source_entity_id = r.source_entity_id
            and f.target_entity_id = r.target_entity_id
    )
