-- The steps the channel accepted (%(sent)s) are SENT, with their actions; the state records
-- when content last went out.
with sent as (
    update gold_content_drips set
        status = 'SENT',
        sent_at = %(logical_time)s,
        updated_at = now()
    where id = any(%(sent)s::uuid[]) and status = 'SCHEDULED'
    returning tenant_id, client_id, nurturing_action_id
),

actions as (
    update gold_nurturing_actions as a set
        status = 'SENT',
        executed_at = %(logical_time)s
    from sent
    where a.id = sent.nurturing_action_id
)

update gold_nurturing_state as s set
    last_content_sent_at = %(logical_time)s,
    updated_at = now()
from (select distinct
    tenant_id,
    client_id
from sent) as c
where s.tenant_id = c.tenant_id and s.client_id = c.client_id
