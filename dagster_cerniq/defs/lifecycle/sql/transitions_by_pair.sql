select
    trigger_event,
    count(*)
from gold_nurturing_actions
where batch_id = %(batch_id)s and action_type = 'STATE_TRANSITION'
group by 1
order by 1
