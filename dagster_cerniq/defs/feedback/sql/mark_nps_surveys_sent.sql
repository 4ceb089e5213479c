-- The surveys the channel accepted (%(sent)s) are SENT, with their actions.
with sent as (
    update gold_nps_surveys set
        status = 'SENT',
        sent_at = %(logical_time)s,
        updated_at = now()
    where id = any(%(sent)s::uuid[]) and status = 'SCHEDULED'
    returning nurturing_action_id
)

update gold_nurturing_actions as a set
    status = 'SENT',
    executed_at = %(logical_time)s
from sent
where a.id = sent.nurturing_action_id
