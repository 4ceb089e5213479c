-- The rows a rule rejects (migration 013, macros/quality.sql) are left out;
-- fct_rejected_source_rows lists them.
with source as (
    {{ accepted_source_rows('gold_nps_surveys') }}
),

renamed as (
    select
        id as nps_survey_id,
        tenant_id,
        client_id,
        order_id,
        survey_type,
        status as survey_status,
        scheduled_at,
        sent_at,
        responded_at,
        score as nps_score,
        nps_category as stored_nps_category
    from source
)

select * from renamed
