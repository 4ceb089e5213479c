-- The state mirrors its active KOL profile's score.
update gold_nurturing_state as s set
    kol_score = k.kol_score,
    updated_at = now()
from gold_kol_profiles as k
where
    k.tenant_id = any(%(tenants)s::uuid[])
    and k.is_active
    and s.tenant_id = k.tenant_id
    and s.client_id = k.client_id
    and s.kol_score is distinct from k.kol_score
