-- ADVOCATE -> a KOL profile with its score (fct_kol_scores); a former one is reactivated.
insert into gold_kol_profiles (
    tenant_id, client_id, nurturing_state_id, kol_score, kol_tier, score_components,
    successful_referrals, nps_score, total_revenue, tenure_days, promoted_at
)
select
    k.tenant_id,
    k.client_id,
    moved.nurturing_state_id,
    k.kol_score,
    k.kol_tier,
    k.score_components,
    k.successful_referrals,
    k.latest_nps_score,
    k.total_revenue,
    k.tenure_days,
    %(logical_time)s
from this_run_transitions as moved
inner join {fct_kol_scores} as k
    on moved.tenant_id = k.tenant_id and moved.client_id = k.client_id
where moved.to_state = 'ADVOCATE'
on conflict (tenant_id, client_id) do update set
    is_active = true,
    deactivated_at = null,
    kol_score = excluded.kol_score,
    kol_tier = excluded.kol_tier,
    score_components = excluded.score_components,
    updated_at = now()
