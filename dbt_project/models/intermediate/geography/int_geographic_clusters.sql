{{ config(indexes=[{'columns': ['tenant_id', 'client_id'], 'unique': true}]) }}

-- SPEC §5 GEOGRAPHIC clusters: density clusters of each tenant's located companies
-- (ST_ClusterDBSCAN in metres of geo_metric_srid). A company with fewer than
-- geo_cluster_min_points companies within geo_cluster_eps_km of it, and none of whose
-- neighbours is such a core, is noise: in no cluster. The run names a cluster by its smallest
-- member id (cluster_key); the geography step gives it the stored id of the cluster it continues.
with located as (
    select
        tenant_id,
        client_id,
        location,
        st_transform(cast(location as geometry), {{ var('geo_metric_srid') }}) as position_m
    from {{ ref('int_client_locations') }}
    where {{ tenant_filter('tenant_id') }}
),

labelled as (
    select
        tenant_id,
        client_id,
        location,
        position_m,
        st_clusterdbscan(
            position_m,
            eps => {{ var('geo_cluster_eps_km') }} * 1000.0,
            minpoints => {{ var('geo_cluster_min_points') }}
        ) over (partition by tenant_id) as dbscan_label
    from located
),

clustered as (
    select
        tenant_id,
        client_id,
        location,
        position_m,
        first_value(client_id) over (
            partition by tenant_id, dbscan_label order by client_id
        ) as cluster_key
    from labelled
    where dbscan_label is not null
),

centres as (
    select
        tenant_id,
        cluster_key,
        cast(st_transform(st_centroid(st_collect(position_m)), 4326) as geography) as center
    from clustered
    group by tenant_id, cluster_key
),

final as (
    select
        clustered.tenant_id,
        clustered.client_id,
        clustered.cluster_key,
        clustered.location,
        centres.center as cluster_center,
        round(cast(st_distance(clustered.location, centres.center) / 1000.0 as numeric), 2)
            as distance_to_center_km
    from clustered
    inner join centres
        on
            clustered.tenant_id = centres.tenant_id
            and clustered.cluster_key = centres.cluster_key
)

select * from final
