update gold_nurturing_actions set
    status = 'SENT',
    executed_at = %(logical_time)s
where id = any(%(sent)s::uuid[]) and status = 'PENDING'
