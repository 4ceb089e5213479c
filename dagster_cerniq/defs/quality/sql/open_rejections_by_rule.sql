select
    source_table,
    rule,
    count(*) as rejected_rows
from cerniq_rejected_source_rows
where tenant_id = any(%(tenants)s::uuid[]) and resolved_at is null
group by source_table, rule
order by source_table, rule
