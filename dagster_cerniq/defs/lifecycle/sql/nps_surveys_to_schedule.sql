-- The POST_ORDER surveys due (fct_nps_surveys_due) that no survey row holds yet.
select
    d.tenant_id,
    d.client_id,
    d.order_id,
    d.survey_type,
    d.scheduled_at,
    s.id as state_id,
    coalesce(s.preferred_channel, 'EMAIL') as channel,
    gen_random_uuid() as survey_id,
    gen_random_uuid() as action_id
from {fct_nps_surveys_due} as d
inner join gold_nurturing_state as s on d.tenant_id = s.tenant_id and d.client_id = s.client_id
where
    d.tenant_id = any(%(tenants)s::uuid[])
    and not exists (
        select 1
        from gold_nps_surveys as n
        where
            n.tenant_id = d.tenant_id
            and n.order_id = d.order_id
            and n.survey_type = d.survey_type
    )
