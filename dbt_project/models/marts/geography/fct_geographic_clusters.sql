{{ config(indexes=[{'columns': ['tenant_id', 'cluster_key'], 'unique': true}]) }}

-- SPEC §5 GEOGRAPHIC clusters of this run (int_geographic_clusters), one row each: centre,
-- radius (farthest member), the members' most common county and locality, members, clients,
-- advocates as this run's transitions leave them, revenue and penetration (clients among the
-- located companies of the cluster, %). Its leader: the advocate, else the client, with the
-- most revenue.
with members as (
    select * from {{ ref('int_geographic_clusters') }}
    where {{ tenant_filter('tenant_id') }}
),

companies as (
    select * from {{ ref('int_client_locations') }}
    where {{ tenant_filter('tenant_id') }}
),

states as (
    select
        tenant_id,
        client_id,
        state_after_transition
    from {{ ref('fct_state_eligibility') }}
    where {{ tenant_filter('tenant_id') }}
),

described as (
    select
        members.tenant_id,
        members.cluster_key,
        members.client_id,
        members.cluster_center,
        members.distance_to_center_km,
        companies.county,
        companies.locality,
        companies.is_client,
        companies.total_revenue,
        coalesce(states.state_after_transition = 'ADVOCATE', false) as is_advocate
    from members
    inner join companies
        on
            members.tenant_id = companies.tenant_id
            and members.client_id = companies.client_id
    left join states
        on
            members.tenant_id = states.tenant_id
            and members.client_id = states.client_id
),

per_cluster as (
    select
        tenant_id,
        cluster_key,
        count(*) as member_count,
        count(*) filter (where is_client) as client_count,
        count(*) filter (where is_advocate) as advocate_count,
        sum(total_revenue) as total_revenue,
        max(distance_to_center_km) as radius_km,
        mode() within group (order by county) as county,
        mode() within group (order by locality) as locality
    from described
    group by tenant_id, cluster_key
),

leaders as (
    select distinct on (tenant_id, cluster_key)
        tenant_id,
        cluster_key,
        client_id as leader_client_id
    from described
    where is_client
    order by tenant_id asc, cluster_key asc, is_advocate desc, total_revenue desc, client_id asc
),

centres as (
    select distinct on (tenant_id, cluster_key)
        tenant_id,
        cluster_key,
        cluster_center
    from members
    order by tenant_id, cluster_key
),

final as (
    select
        per_cluster.tenant_id,
        per_cluster.cluster_key,
        concat_ws(', ', per_cluster.locality, per_cluster.county) as cluster_name,
        centres.cluster_center,
        per_cluster.radius_km,
        per_cluster.county,
        per_cluster.member_count,
        per_cluster.client_count,
        per_cluster.advocate_count,
        per_cluster.total_revenue,
        round(100.0 * per_cluster.client_count / per_cluster.member_count, 2) as penetration_rate,
        leaders.leader_client_id,
        jsonb_build_object(
            'eps_km', {{ var('geo_cluster_eps_km') }},
            'min_points', {{ var('geo_cluster_min_points') }},
            'srid', {{ var('geo_metric_srid') }}
        ) as detection_params
    from per_cluster
    inner join centres
        on
            per_cluster.tenant_id = centres.tenant_id
            and per_cluster.cluster_key = centres.cluster_key
    left join leaders
        on
            per_cluster.tenant_id = leaders.tenant_id
            and per_cluster.cluster_key = leaders.cluster_key
)

select * from final
