-- migrations/20261207_016_create_churn_score_movers.sql
-- Reading the score history (SPEC §5 "Score history"): a client's trend and, between two of its
-- evaluations, which factors moved the score and by how much. Stated once, here: `cerniq
-- explain` and the Cerniq app call these functions instead of redoing the arithmetic.
-- SQL-standard bodies (BEGIN ATOMIC), so PostgreSQL records that they read
-- gold_churn_score_history and refuses to drop it from under them. A parameter named like a
-- column is qualified with the function's name, since the column wins otherwise.

-- The factors that moved a client's score from its evaluation as of from_date to the one as of
-- to_date: one row per factor present at either date, the largest move first.
--
-- A factor's share of the score at a date is its contribution / the sum of the weights of all
-- the factors of that date. The seed score is Σ contribution / Σ weight (SPEC §3,
-- fct_churn_scores), so a date's shares sum to its score and the score_change of all factors
-- sums to the change of overall_churn_score (up to the rounding of the stored numbers): the
-- move is split among the factors with nothing left over. A factor absent at a date has no
-- value and a share of 0. A factor whose value stays can still move: when another factor
-- appears or clears, the weights it is averaged with change, and so does its share.
--
-- evidence_before / evidence_after: the evidence elements (one per active signal) of the
-- factor's signal type at that date, as recorded; [] for a factor without signals
-- (DAYS_INACTIVE, SATISFACTION_DECLINING) or absent that date.
--
-- No rows unless the client has an evaluation at both dates.
CREATE FUNCTION cerniq_churn_score_movers(
    tenant_id UUID, client_id UUID, from_date DATE, to_date DATE
)
    RETURNS TABLE (
        factor TEXT,
        value_before NUMERIC,
        value_after NUMERIC,
        share_before NUMERIC,
        share_after NUMERIC,
        score_change NUMERIC,
        evidence_before JSONB,
        evidence_after JSONB
    )
    LANGUAGE SQL STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH evaluations AS (
        SELECT
            earlier.factor_breakdown AS breakdown_before,
            later.factor_breakdown AS breakdown_after,
            earlier.evidence AS all_evidence_before,
            later.evidence AS all_evidence_after,
            (
                SELECT nullif(sum((term.value ->> 'weight')::NUMERIC), 0)
                FROM jsonb_each(earlier.factor_breakdown) AS term
            ) AS total_weight_before,
            (
                SELECT nullif(sum((term.value ->> 'weight')::NUMERIC), 0)
                FROM jsonb_each(later.factor_breakdown) AS term
            ) AS total_weight_after
        FROM gold_churn_score_history AS earlier
        INNER JOIN gold_churn_score_history AS later
            ON later.tenant_id = earlier.tenant_id AND later.client_id = earlier.client_id
        WHERE
            earlier.tenant_id = cerniq_churn_score_movers.tenant_id
            AND earlier.client_id = cerniq_churn_score_movers.client_id
            AND earlier.as_of = cerniq_churn_score_movers.from_date
            AND later.as_of = cerniq_churn_score_movers.to_date
    ),

    factor_shares AS (
        SELECT
            factors.factor,
            (evaluations.breakdown_before -> factors.factor ->> 'value')::NUMERIC AS value_before,
            (evaluations.breakdown_after -> factors.factor ->> 'value')::NUMERIC AS value_after,
            round(coalesce(
                (evaluations.breakdown_before -> factors.factor ->> 'contribution')::NUMERIC
                / evaluations.total_weight_before,
                0
            ), 4) AS share_before,
            round(coalesce(
                (evaluations.breakdown_after -> factors.factor ->> 'contribution')::NUMERIC
                / evaluations.total_weight_after,
                0
            ), 4) AS share_after,
            jsonb_path_query_array(
                evaluations.all_evidence_before,
                '$[*] ? (@.signal_type == $factor)',
                jsonb_build_object('factor', factors.factor)
            ) AS evidence_before,
            jsonb_path_query_array(
                evaluations.all_evidence_after,
                '$[*] ? (@.signal_type == $factor)',
                jsonb_build_object('factor', factors.factor)
            ) AS evidence_after
        FROM evaluations
        CROSS JOIN LATERAL (
            SELECT jsonb_object_keys(evaluations.breakdown_before) AS factor
            UNION
            SELECT jsonb_object_keys(evaluations.breakdown_after) AS factor
        ) AS factors
    )

    SELECT
        factor,
        value_before,
        value_after,
        share_before,
        share_after,
        share_after - share_before AS score_change,
        evidence_before,
        evidence_after
    FROM factor_shares
    ORDER BY abs(share_after - share_before) DESC, factor ASC;
END;

-- A client's evaluations from from_date to to_date, oldest first: score, risk level, the
-- predicted churn probability (percent) and date, and score_change, the change of the score since
-- the client's evaluation before (which may be earlier than from_date; NULL for its first).
CREATE FUNCTION cerniq_churn_score_trend(
    tenant_id UUID, client_id UUID, from_date DATE, to_date DATE
)
    RETURNS TABLE (
        as_of DATE,
        overall_churn_score NUMERIC,
        risk_level VARCHAR,
        prediction_confidence NUMERIC,
        predicted_churn_date DATE,
        score_change NUMERIC
    )
    LANGUAGE SQL STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT
        trend.as_of,
        trend.overall_churn_score,
        trend.risk_level,
        trend.prediction_confidence,
        trend.predicted_churn_date,
        trend.score_change
    FROM (
        SELECT
            history.as_of,
            history.overall_churn_score,
            history.risk_level,
            history.prediction_confidence,
            history.predicted_churn_date,
            history.overall_churn_score
            - lag(history.overall_churn_score) OVER (ORDER BY history.as_of) AS score_change
        FROM gold_churn_score_history AS history
        WHERE
            history.tenant_id = cerniq_churn_score_trend.tenant_id
            AND history.client_id = cerniq_churn_score_trend.client_id
            AND history.as_of <= cerniq_churn_score_trend.to_date
    ) AS trend
    WHERE trend.as_of >= cerniq_churn_score_trend.from_date
    ORDER BY trend.as_of;
END;
