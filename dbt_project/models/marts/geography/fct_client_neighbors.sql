{{ config(indexes=[{'columns': ['tenant_id', 'client_a_id', 'client_b_id'], 'unique': true}]) }}

-- SPEC §5 NEIGHBOR: two located companies of a tenant at most neighbor_radius_km apart, one
-- row per unordered pair (client_a_id < client_b_id). ST_DWithin on geography (metres on the
-- spheroid) finds each company's neighbours through the GIST index of int_client_locations:
-- the two sides are that table itself, not a CTE, so the index is usable.
with pairs as (
    select
        a.tenant_id,
        a.client_id as client_a_id,
        b.client_id as client_b_id,
        a.location as location_a,
        b.location as location_b,
        round(cast(st_distance(a.location, b.location) as numeric), 2) as distance_meters,
        coalesce(a.county = b.county, false) as same_county,
        coalesce(a.county = b.county and a.locality = b.locality, false) as same_locality
    from {{ ref('int_client_locations') }} as a
    inner join {{ ref('int_client_locations') }} as b
        on
            a.tenant_id = b.tenant_id
            and a.client_id < b.client_id
            and st_dwithin(a.location, b.location, {{ var('neighbor_radius_km') }} * 1000.0)
    where {{ tenant_filter('a.tenant_id') }}
),

scored as (
    select
        *,
        round(
            100 * (1 - distance_meters / ({{ var('neighbor_radius_km') }} * 1000.0)), 2
        ) as strength
    from pairs
),

final as (
    select
        tenant_id,
        client_a_id,
        client_b_id,
        location_a,
        location_b,
        distance_meters,
        same_county,
        same_locality,
        strength,
        least(
            100,
            round(
                strength * {{ var('proximity_strength_weight') }}
                + case when same_county then {{ var('proximity_same_county_points') }} else 0 end
                + case
                    when same_locality then {{ var('proximity_same_locality_points') }} else 0
                end,
                2
            )
        ) as proximity_score
    from scored
)

select * from final
