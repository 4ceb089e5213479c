-- The scheduled surveys fct_nps_dispatch decided to SEND, as outgoing messages.
select
    s.tenant_id,
    s.client_id,
    s.channel,
    'NPS_SURVEY' as message_type,
    null::varchar as subject,
    jsonb_build_object('survey_type', s.survey_type, 'order_id', s.order_id) as payload,
    'gold_nps_surveys' as source_table,
    s.id as source_id
from gold_nps_surveys as s
inner join {fct_nps_dispatch} as d on s.id = d.nps_survey_id
where
    d.tenant_id = any(%(tenants)s::uuid[])
    and d.dispatch_decision = 'SEND'
    and s.status = 'SCHEDULED'
