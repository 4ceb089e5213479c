-- Autovacuum's rule for stale statistics (50 rows + 10 % changed), applied to what this
-- transaction wrote, at its end rather than a minute later: the next step or run plans against
-- what this one wrote. A first load left gold_hitl_tasks_e5 looking empty to the next run, whose
-- escalation update then rescanned its candidates per task (4.5 s for 300 rows at `small`).
select
    x.schemaname,
    x.relname
from pg_stat_xact_user_tables as x
inner join pg_class as c on x.relid = c.oid
where
    c.relpersistence = 'p'
    and x.n_tup_ins + x.n_tup_upd + x.n_tup_del
    > current_setting('autovacuum_analyze_threshold')::integer
    + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)
order by x.schemaname, x.relname
