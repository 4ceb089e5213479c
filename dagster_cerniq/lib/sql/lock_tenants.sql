-- Serialise write-backs per tenant for the rest of the transaction (sorted: no deadlock).
select pg_advisory_xact_lock(hashtextextended(tenant_id, 5))
from unnest(%(tenants)s::text[]) as tenant_id
order by tenant_id
