-- Answers (fct_nps_answers) recorded: the survey RESPONDED with its category, its action
-- COMPLETED with the score.
with recorded as (
    update gold_nps_surveys as s set
        status = 'RESPONDED',
        nps_category = a.nps_category,
        updated_at = now()
    from {fct_nps_answers} as a
    where
        a.nps_survey_id = s.id
        and a.tenant_id = any(%(tenants)s::uuid[])
        and not a.is_recorded
    returning s.nurturing_action_id, s.responded_at, s.score
),

actions as (
    update gold_nurturing_actions as a set
        status = 'COMPLETED',
        response_received = true,
        response_at = recorded.responded_at,
        response_content = recorded.score::text
    from recorded
    where a.id = recorded.nurturing_action_id
)

select count(*) from recorded
