-- The factors that moved the score between two evaluations, in the function's order (the
-- largest move first; migration 016 states the split).
select
    movers.factor,
    movers.value_before,
    movers.value_after,
    movers.share_before,
    movers.share_after,
    movers.score_change,
    movers.evidence_before,
    movers.evidence_after
from
    cerniq_churn_score_movers(
        %(tenant)s, %(client)s, %(from_date)s, %(to_date)s
    ) with ordinality as movers
order by movers.ordinality
