{{ config(indexes=[{
    'columns': ['tenant_id', 'relation_type', 'source_entity_id', 'target_entity_id'],
    'unique': true,
}]) }}

-- Associations (migration 006's gold_affiliations, filled by the app): each current membership
-- is a MEMBER_OF relationship from the client to its organisation, and two clients of the same
-- organisation are SAME_ASSOCIATION (one row per unordered pair, naming every organisation they
-- share; strength the lower of their memberships' confidence, 100 when none is given).
with memberships as (
    select
        affiliation_id,
        tenant_id,
        client_id,
        organization_type,
        organization_id,
        member_role,
        member_since,
        member_until,
        coalesce(confidence_score, 100) as confidence_score
    from {{ ref('stg_nurturing__affiliations') }}
    where
        {{ tenant_filter('tenant_id') }}
        and is_active
        and client_id is not null
        and (member_since is null or member_since <= {{ as_of_date() }})
        and (member_until is null or member_until >= {{ as_of_date() }})
),

member_of as (
    select distinct on (tenant_id, client_id, organization_id)
        tenant_id,
        'CLIENT' as source_entity_type,
        client_id as source_entity_id,
        organization_type as target_entity_type,
        organization_id as target_entity_id,
        'MEMBER_OF' as relation_type,
        member_role as relation_subtype,
        confidence_score as strength,
        confidence_score,
        affiliation_id as evidence_source_id,
        jsonb_build_object('organization_type', organization_type) as evidence_details,
        member_since as valid_from
    from memberships
    order by tenant_id asc, client_id asc, organization_id asc, affiliation_id asc
),

same_association as (
    select
        a.tenant_id,
        'CLIENT' as source_entity_type,
        a.client_id as source_entity_id,
        'CLIENT' as target_entity_type,
        b.client_id as target_entity_id,
        'SAME_ASSOCIATION' as relation_type,
        min(a.organization_type) as relation_subtype,
        min(least(a.confidence_score, b.confidence_score)) as strength,
        min(least(a.confidence_score, b.confidence_score)) as confidence_score,
        min(cast(a.organization_id as text)) as first_organization_id,
        jsonb_build_object(
            'organization_ids',
            jsonb_agg(distinct a.organization_id)
        ) as evidence_details,
        max(greatest(a.member_since, b.member_since)) as valid_from
    from memberships as a
    inner join memberships as b
        on
            a.tenant_id = b.tenant_id
            and a.organization_id = b.organization_id
            and a.client_id < b.client_id
    group by a.tenant_id, a.client_id, b.client_id
),

final as (
    select
        tenant_id,
        source_entity_type,
        source_entity_id,
        target_entity_type,
        target_entity_id,
        relation_type,
        relation_subtype,
        strength,
        confidence_score,
        evidence_source_id,
        evidence_details,
        valid_from
    from member_of
    union all
    select
        tenant_id,
        source_entity_type,
        source_entity_id,
        target_entity_type,
        target_entity_id,
        relation_type,
        relation_subtype,
        strength,
        confidence_score,
        cast(first_organization_id as uuid) as evidence_source_id,
        evidence_details,
        valid_from
    from same_association
)

select * from final
