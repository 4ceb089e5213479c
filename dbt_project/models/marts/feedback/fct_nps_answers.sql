{{ config(indexes=[{'columns': ['tenant_id', 'nps_survey_id'], 'unique': true}]) }}

-- Every NPS answer up to the as-of date with its category; a recent detractor answer (within
-- the tenant's nps_detractor_followup_days) calls for a follow-up HITL task.
with surveys as (
    select * from {{ ref('stg_nurturing__nps_surveys') }}
    where {{ tenant_filter('tenant_id') }}
),

settings as (
    select * from {{ ref('int_tenant_lifecycle_settings') }}
    where {{ tenant_filter('tenant_id') }}
),

answers as (
    select
        surveys.tenant_id,
        surveys.client_id,
        surveys.nps_survey_id,
        surveys.survey_status,
        surveys.stored_nps_category,
        surveys.nps_score,
        surveys.responded_at,
        {{ nps_category('surveys.nps_score') }} as nps_category,
        {{ days_before_as_of('surveys.responded_at') }} as answer_age_days,
        settings.nps_detractor_followup_days,
        settings.nps_detractor_task_priority
    from surveys
    inner join settings
        on surveys.tenant_id = settings.tenant_id
    where
        surveys.nps_score is not null
        and surveys.responded_at is not null
        and {{ seen_as_of('surveys.responded_at') }}
),

final as (
    select
        tenant_id,
        client_id,
        nps_survey_id,
        nps_score,
        responded_at,
        nps_category,
        survey_status = 'RESPONDED' and stored_nps_category = nps_category as is_recorded,
        nps_category = 'DETRACTOR'
        and answer_age_days <= nps_detractor_followup_days as needs_followup,
        nps_detractor_task_priority as followup_priority
    from answers
)

select * from final
