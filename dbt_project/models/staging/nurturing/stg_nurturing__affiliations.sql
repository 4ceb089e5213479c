with source as (
    select * from {{ source('nurturing', 'gold_affiliations') }}
),

renamed as (
    select
        id as affiliation_id,
        tenant_id,
        client_id,
        organization_type,
        organization_id,
        cast(relation_type as text) as relation_type,
        member_role,
        member_since,
        member_until,
        evidence_source,
        confidence_score,
        is_active
    from source
)

select * from renamed
