-- One follow-up per detractor answer, ever (entity = the survey); at most one open per client.
select
    a.tenant_id,
    a.client_id,
    a.followup_priority as priority,
    'NPS_SURVEY' as entity_type,
    a.nps_survey_id as entity_id,
    'Detractor NPS answer: ' || a.nps_score as reason,
    jsonb_build_object(
        'nps_score', a.nps_score, 'comment', s.comment, 'responded_at', a.responded_at
    ) as context
from {fct_nps_answers} as a
inner join gold_nps_surveys as s on a.nps_survey_id = s.id
where
    a.tenant_id = any(%(tenants)s::uuid[])
    and a.needs_followup
    and not exists (
        select 1
        from gold_hitl_tasks_e5 as t
        where t.entity_type = 'NPS_SURVEY' and t.entity_id = a.nps_survey_id
    )
