with source as (
    select * from {{ source('nurturing', 'gold_nps_surveys') }}
),

renamed as (
    select
        id as nps_survey_id,
        tenant_id,
        client_id,
        order_id,
        survey_type,
        scheduled_at,
        sent_at,
        responded_at,
        score as nps_score
    from source
)

select * from renamed
