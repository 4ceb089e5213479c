{{ config(indexes=[{'columns': ['tenant_id', 'nps_survey_id'], 'unique': true}]) }}

-- feedback:nps:send - what to do with each SCHEDULED survey due by the as-of date: SEND it, or
-- SKIP it under the frequency cap (at most one survey per client per nps_frequency_cap_days:
-- sendable when the client's last survey went out at least that many days before). Of several
-- due at once, the latest is the one sent. Runs after this run's surveys are scheduled.
with surveys as (
    select * from {{ ref('stg_nurturing__nps_surveys') }}
    where {{ tenant_filter('tenant_id') }}
),

settings as (
    select * from {{ ref('int_tenant_lifecycle_settings') }}
    where {{ tenant_filter('tenant_id') }}
),

last_contact as (
    select
        tenant_id,
        client_id,
        max(coalesce(sent_at, responded_at)) as last_surveyed_at
    from surveys
    where {{ stamped_by_logical_time('coalesce(sent_at, responded_at)') }}
    group by tenant_id, client_id
),

due as (
    select
        tenant_id,
        client_id,
        nps_survey_id,
        survey_type,
        scheduled_at,
        row_number() over (
            partition by tenant_id, client_id order by scheduled_at desc, nps_survey_id asc
        ) as due_rank
    from surveys
    where survey_status = 'SCHEDULED' and {{ seen_as_of('scheduled_at') }}
),

decided as (
    select
        due.*,
        last_contact.last_surveyed_at,
        {{ days_since_stamp('last_contact.last_surveyed_at') }} as days_since_last_survey,
        due.due_rank = 1
        and coalesce(
            {{ days_since_stamp('last_contact.last_surveyed_at') }}
            >= settings.nps_frequency_cap_days,
            true
        ) as is_sendable
    from due
    inner join settings
        on due.tenant_id = settings.tenant_id
    left join last_contact
        on
            due.tenant_id = last_contact.tenant_id
            and due.client_id = last_contact.client_id
),

final as (
    select
        tenant_id,
        client_id,
        nps_survey_id,
        survey_type,
        scheduled_at,
        last_surveyed_at,
        days_since_last_survey,
        case when is_sendable then 'SEND' else 'SKIP' end as dispatch_decision,
        case when not is_sendable then 'FREQUENCY_CAP' end as skip_reason
    from decided
)

select * from final
