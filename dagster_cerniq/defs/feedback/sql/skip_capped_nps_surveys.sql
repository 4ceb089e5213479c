-- Surveys held back by the frequency cap (fct_nps_dispatch: SKIP) are SKIPPED, with their actions.
with skipped as (
    update gold_nps_surveys as s set
        status = 'SKIPPED',
        skip_reason = d.skip_reason,
        updated_at = now()
    from {fct_nps_dispatch} as d
    where
        d.nps_survey_id = s.id
        and d.tenant_id = any(%(tenants)s::uuid[])
        and d.dispatch_decision = 'SKIP'
        and s.status = 'SCHEDULED'
    returning s.nurturing_action_id, s.skip_reason
),

actions as (
    update gold_nurturing_actions as a set
        status = 'SKIPPED',
        error_code = skipped.skip_reason
    from skipped
    where a.id = skipped.nurturing_action_id
)

select count(*) from skipped
