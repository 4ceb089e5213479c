-- The score history (SPEC §5): one row per client and as-of date with the seed score, its band,
-- breakdown and the evidence of each active signal, and the prediction; a rerun of the date
-- replaces its row (a row that already matches is not rewritten).
insert into gold_churn_score_history (
    tenant_id, client_id, as_of, overall_churn_score, risk_level, factor_breakdown, evidence,
    prediction_confidence, predicted_churn_date
)
select
    f.tenant_id,
    f.client_id,
    %(as_of)s,
    f.churn_score,
    f.risk_level,
    f.factor_breakdown,
    coalesce(e.evidence, '[]'::jsonb),
    round(100 * p.churn_probability, 2),
    p.predicted_churn_date
from {fct_churn_scores} as f
left join cerniq_churn_predictions as p
    on f.tenant_id = p.tenant_id and f.client_id = p.client_id and p.as_of = %(as_of)s
left join lateral (
    select
        jsonb_agg(
            jsonb_build_object(
                'signal_type', s.signal_type,
                'strength', s.strength,
                'evidence_source_type', s.evidence_source_type,
                'evidence_source_id', s.evidence_source_id,
                'evidence_text', s.evidence_text
            )
            order by s.strength desc, s.signal_type asc, s.evidence_source_id asc
        ) as evidence
    from gold_churn_signals as s
    where s.tenant_id = f.tenant_id and s.client_id = f.client_id and not s.is_resolved
) as e on true
where f.tenant_id = any(%(tenants)s::uuid[])
on conflict (tenant_id, client_id, as_of) do update set
    overall_churn_score = excluded.overall_churn_score,
    risk_level = excluded.risk_level,
    factor_breakdown = excluded.factor_breakdown,
    evidence = excluded.evidence,
    prediction_confidence = excluded.prediction_confidence,
    predicted_churn_date = excluded.predicted_churn_date,
    recorded_at = now()
where (
    gold_churn_score_history.overall_churn_score, gold_churn_score_history.risk_level,
    gold_churn_score_history.factor_breakdown, gold_churn_score_history.evidence,
    gold_churn_score_history.prediction_confidence,
    gold_churn_score_history.predicted_churn_date
) is distinct from (
    excluded.overall_churn_score, excluded.risk_level, excluded.factor_breakdown,
    excluded.evidence, excluded.prediction_confidence, excluded.predicted_churn_date
)
