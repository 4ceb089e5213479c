-- A churn task says why: its candidate's context gets top_factors, the 3 factors of the
-- client's factor_breakdown (fct_churn_scores, in the context) with the largest contribution,
-- each with its value, weight, contribution and evidence: the client's active signals of that
-- type (the quoted message, the invoice with its amount and days overdue, the ticket...), for
-- DAYS_INACTIVE its last completed order, for SATISFACTION_DECLINING its last two NPS answers.
with factors as (
    select
        c.tenant_id,
        c.client_id,
        f.key as factor,
        (f.value ->> 'value')::numeric as factor_value,
        (f.value ->> 'weight')::numeric as weight,
        (f.value ->> 'contribution')::numeric as contribution,
        row_number() over (
            partition by c.tenant_id, c.client_id
            order by (f.value ->> 'contribution')::numeric desc, f.key
        ) as factor_rank
    from hitl_task_candidates as c
    cross join lateral jsonb_each(c.context -> 'factor_breakdown') as f
),

top_factors as (
    select * from factors
    where factor_rank <= 3
),

signal_evidence as (
    select
        f.tenant_id,
        f.client_id,
        f.factor,
        jsonb_agg(
            jsonb_build_object(
                'evidence_source_type', s.evidence_source_type,
                'evidence_source_id', s.evidence_source_id,
                'evidence_text', s.evidence_text,
                'evidence_details', s.evidence_details,
                'strength', s.strength
            )
            order by s.strength desc, s.evidence_source_id asc
        ) as evidence
    from top_factors as f
    inner join gold_churn_signals as s
        on
            f.tenant_id = s.tenant_id
            and f.client_id = s.client_id
            and f.factor = s.signal_type::text
            and not s.is_resolved
    group by f.tenant_id, f.client_id, f.factor
),

last_order_evidence as (
    select
        f.tenant_id,
        f.client_id,
        f.factor,
        jsonb_build_array(
            jsonb_build_object(
                'evidence_source_type', 'ORDER',
                'evidence_source_id', o.order_id,
                'delivered_on', (o.delivered_at at time zone 'UTC')::date,
                'order_value', o.order_value,
                'days_since_last_order', m.days_since_last_order
            )
        ) as evidence
    from top_factors as f
    inner join {int_client_orders} as m
        on f.tenant_id = m.tenant_id and f.client_id = m.client_id
    inner join {stg_cerniq__orders} as o on m.last_order_id = o.order_id
    where f.factor = 'DAYS_INACTIVE'
),

nps_evidence as (
    select
        f.tenant_id,
        f.client_id,
        f.factor,
        jsonb_build_array(
            jsonb_build_object(
                'evidence_source_type', 'NPS',
                'latest_nps_score', n.latest_nps_score,
                'previous_nps_score', n.previous_nps_score,
                'last_responded_at', n.last_responded_at
            )
        ) as evidence
    from top_factors as f
    inner join {fct_client_nps} as n
        on f.tenant_id = n.tenant_id and f.client_id = n.client_id
    where f.factor = 'SATISFACTION_DECLINING'
),

evidence as (
    select * from signal_evidence
    union all
    select * from last_order_evidence
    union all
    select * from nps_evidence
),

explained as (
    select
        f.tenant_id,
        f.client_id,
        jsonb_agg(
            jsonb_build_object(
                'factor', f.factor,
                'value', f.factor_value,
                'weight', f.weight,
                'contribution', f.contribution,
                'evidence', coalesce(e.evidence, '[]'::jsonb)
            )
            order by f.factor_rank
        ) as top_factors
    from top_factors as f
    left join evidence as e
        on f.tenant_id = e.tenant_id and f.client_id = e.client_id and f.factor = e.factor
    group by f.tenant_id, f.client_id
)

update hitl_task_candidates as c
set context = c.context || jsonb_build_object('top_factors', x.top_factors)
from explained as x
where c.tenant_id = x.tenant_id and c.client_id = x.client_id
