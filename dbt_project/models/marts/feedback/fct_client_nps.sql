{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- NPS per client: the latest answer, the one before, its category and the satisfaction trend
-- (NULL with fewer than two answers).
with surveys as (
    select * from {{ ref('stg_nurturing__nps_surveys') }}
),

answers as (
    select
        tenant_id,
        client_id,
        nps_score,
        responded_at,
        row_number() over (
            partition by tenant_id, client_id order by responded_at desc, nps_survey_id desc
        ) as recency_rank,
        count(*) over (partition by tenant_id, client_id) as answer_count
    from surveys
    where
        {{ tenant_filter('tenant_id') }}
        and nps_score is not null
        and responded_at is not null
        and {{ seen_as_of('responded_at') }}
),

latest_two as (
    select
        tenant_id,
        client_id,
        max(answer_count) as answer_count,
        max(nps_score) filter (where recency_rank = 1) as latest_nps_score,
        max(responded_at) filter (where recency_rank = 1) as last_responded_at,
        max(nps_score) filter (where recency_rank = 2) as previous_nps_score
    from answers
    where recency_rank <= 2
    group by tenant_id, client_id
),

final as (
    select
        tenant_id,
        client_id,
        answer_count,
        latest_nps_score,
        last_responded_at,
        previous_nps_score,
        {{ nps_category('latest_nps_score') }} as nps_category,
        case
            when previous_nps_score is null then null
            when latest_nps_score < previous_nps_score then 'DECLINING'
            when latest_nps_score > previous_nps_score then 'IMPROVING'
            else 'STABLE'
        end as satisfaction_trend
    from latest_two
)

select * from final
