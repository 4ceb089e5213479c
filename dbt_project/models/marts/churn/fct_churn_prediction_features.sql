{{ config(indexes=[{'columns': ['tenant_id', 'snapshot_role']}]) }}

-- The churn prediction's inputs (SPEC §5), per client and snapshot date, from completed orders
-- up to the as-of date D only:
--   SCORE    D itself: the row the prediction is made for;
--   TRAIN    D - horizon, D - horizon - every, ...: past dates whose horizon has passed by D, with
--            their realised label (no completed order in (date, date + horizon]);
--   PROJECT  D + step, D + 2 x step, ... up to D + horizon: the client as it would be with no
--            further order, for the predicted churn date.
-- Seasonal buyers are read from their own history: the gaps between their orders and what they
-- ordered in the same window a year earlier (a spring-and-autumn buyer is quiet in December every
-- year), so the model need not assume one buying rhythm for everyone.
with completed_orders as (
    select
        tenant_id,
        client_id,
        order_id,
        order_value,
        {{ utc_date('delivered_at') }} as order_date
    from {{ ref('stg_cerniq__orders') }}
    where
        {{ tenant_filter('tenant_id') }}
        and {{ is_completed_order() }}
),

clients as (
    select * from {{ ref('stg_cerniq__clients') }}
    where {{ tenant_filter('tenant_id') }}
),

order_gaps as (
    select
        tenant_id,
        client_id,
        order_id,
        order_value,
        order_date,
        order_date - lag(order_date) over (
            partition by tenant_id, client_id order by order_date, order_id
        ) as gap_days
    from completed_orders
),

snapshots as (
    select
        'SCORE' as snapshot_role,
        {{ as_of_date() }} as snapshot_date
    union all
    select
        'TRAIN' as snapshot_role,
        {{ as_of_date() }} - {{ var('churn_horizon_days') }}
        - k * {{ var('prediction_training_every_days') }} as snapshot_date
    from generate_series(0, {{ var('prediction_training_snapshots') }} - 1) as k
    union all
    select
        'PROJECT' as snapshot_role,
        {{ as_of_date() }} + k * {{ var('prediction_projection_every_days') }} as snapshot_date
    from generate_series(
        1, {{ var('churn_horizon_days') }} / {{ var('prediction_projection_every_days') }}
    ) as k
),

-- Each snapshot against every completed order of the client, with the client's last order on or
-- before the snapshot beside each row (a window, not a join back: a join planned on the
-- estimated handful of rows went quadratic on a fresh load).
order_snapshots as (
    select
        o.tenant_id,
        o.client_id,
        o.order_id,
        o.order_value,
        o.order_date,
        o.gap_days,
        s.snapshot_role,
        s.snapshot_date,
        max(o.order_date) filter (where o.order_date <= s.snapshot_date) over (
            partition by o.tenant_id, o.client_id, s.snapshot_date
        ) as last_order_date
    from order_gaps as o
    cross join snapshots as s
),

-- One aggregation: the orders on or before the snapshot make its features, those in the horizon
-- after it its label (TRAIN dates end their horizon by D, so that is data D saw). The current
-- silence (since the last order) is set against the same weeks one and two years earlier: a
-- farm quiet every winter was quiet then too, one that stopped in the middle of its season was
-- not.
history as (
    select
        o.tenant_id,
        o.client_id,
        o.snapshot_role,
        o.snapshot_date,
        count(*) filter (where o.order_date <= o.snapshot_date) as orders_total,
        min(o.order_date) as first_order_date,
        max(o.last_order_date) as last_order_date,
        count(*) filter (
            where o.order_date > o.snapshot_date - 365 and o.order_date <= o.snapshot_date
        ) as orders_last_365_days,
        count(*) filter (
            where o.order_date > o.snapshot_date - 730 and o.order_date <= o.snapshot_date - 365
        ) as orders_prior_365_days,
        -- Same season last year: the orders of the window the horizon covers, a year earlier.
        count(*) filter (
            where
            o.order_date > o.snapshot_date - 365
            and o.order_date <= o.snapshot_date - 365 + {{ var('churn_horizon_days') }}
        ) as orders_same_window_last_year,
        coalesce(sum(o.order_value) filter (
            where o.order_date > o.snapshot_date - 365 and o.order_date <= o.snapshot_date
        ), 0) as revenue_last_365_days,
        avg(o.gap_days) filter (where o.order_date <= o.snapshot_date) as mean_gap_days,
        stddev_samp(o.gap_days) filter (where o.order_date <= o.snapshot_date) as gap_stddev_days,
        max(o.gap_days) filter (where o.order_date <= o.snapshot_date) as max_gap_days,
        count(*) filter (
            where
            o.order_date > o.snapshot_date
            and o.order_date <= o.snapshot_date + {{ var('churn_horizon_days') }}
        ) as orders_within_horizon,
        count(*) filter (
            where
            o.order_date > o.last_order_date - 365
            and o.order_date <= o.snapshot_date - 365
        ) as orders_in_silence_last_year,
        count(*) filter (
            where
            o.order_date > o.last_order_date - 730
            and o.order_date <= o.snapshot_date - 730
        ) as orders_in_silence_two_years_ago
    from order_snapshots as o
    group by o.tenant_id, o.client_id, o.snapshot_role, o.snapshot_date
    having min(o.order_date) <= o.snapshot_date
),

final as (
    select
        h.tenant_id,
        h.client_id,
        h.snapshot_role,
        h.snapshot_date,
        {{ var('churn_horizon_days') }} as horizon_days,
        c.segment,
        h.snapshot_date - h.last_order_date as days_since_last_order,
        h.snapshot_date - h.first_order_date as days_since_first_order,
        h.orders_total,
        h.orders_last_365_days,
        h.orders_prior_365_days,
        h.orders_same_window_last_year,
        h.orders_in_silence_last_year,
        h.orders_in_silence_two_years_ago,
        h.revenue_last_365_days,
        h.mean_gap_days,
        h.gap_stddev_days,
        h.max_gap_days,
        (h.snapshot_date - h.last_order_date) / nullif(h.mean_gap_days, 0) as recency_to_mean_gap,
        (h.snapshot_date - h.last_order_date)
        / nullif(h.max_gap_days::numeric, 0) as recency_to_max_gap,
        -- Known for TRAIN rows only: whether the client churned over the horizon.
        case when h.snapshot_role = 'TRAIN' then h.orders_within_horizon = 0 end
            as churned_within_horizon
    from history as h
    inner join clients as c on h.tenant_id = c.tenant_id and h.client_id = c.client_id
)

select * from final
