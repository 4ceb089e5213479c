{{ config(indexes=[{'columns': ['tenant_id', 'contact_id'], 'unique': true}]) }}

-- Referral targeting (seed referral type NEIGHBOR_STRATEGY): the prospects near each
-- LOYAL_CLIENT and ADVOCATE (as this run's transitions leave them) that this run suggests it
-- asks about. A prospect is the primary contact of a located company that does not buy and did
-- not decline (int_referral_targets), within referral_suggestion_radius_km of the referrer,
-- found through the GIST index of int_client_locations. Each prospect goes to its best-placed
-- referrer only (same cluster first, then nearest), and only while no suggestion of it is
-- open; a referrer is never suggested the same contact twice and holds at most
-- referral_suggestions_per_referrer open suggestions.
with referrers as (
    select
        states.tenant_id,
        states.client_id,
        companies.company_name,
        companies.location,
        clusters.cluster_key
    from {{ ref('fct_state_eligibility') }} as states
    inner join {{ ref('int_client_locations') }} as companies
        on
            states.tenant_id = companies.tenant_id
            and states.client_id = companies.client_id
    left join {{ ref('int_geographic_clusters') }} as clusters
        on
            states.tenant_id = clusters.tenant_id
            and states.client_id = clusters.client_id
    where
        {{ tenant_filter('states.tenant_id') }}
        and states.state_after_transition in ('LOYAL_CLIENT', 'ADVOCATE')
),

nearby as (
    select
        referrers.tenant_id,
        referrers.client_id as referrer_client_id,
        referrers.company_name as referrer_name,
        referrers.cluster_key,
        places.client_id as target_client_id,
        round(cast(st_distance(referrers.location, places.location) / 1000.0 as numeric), 2)
            as distance_km
    from referrers
    inner join {{ ref('int_client_locations') }} as places
        on
            referrers.tenant_id = places.tenant_id
            and st_dwithin(
                referrers.location, places.location,
                {{ var('referral_suggestion_radius_km') }} * 1000.0
            )
    where not places.is_client
),

suggested as (
    select * from {{ ref('stg_nurturing__referrals') }}
    where
        {{ tenant_filter('tenant_id') }}
        and referral_type = 'NEIGHBOR_STRATEGY'
        and referral_source = 'GEO_PROXIMITY'
),

open_suggestions as (
    select
        tenant_id,
        referrer_client_id,
        referred_prospect_id,
        count(*) over (partition by tenant_id, referrer_client_id) as open_for_referrer
    from suggested
    where referral_status not in ('CONVERTED', 'REJECTED', 'EXPIRED')
),

open_per_referrer as (
    select distinct
        tenant_id,
        referrer_client_id,
        open_for_referrer
    from open_suggestions
),

candidates as (
    select
        nearby.tenant_id,
        nearby.referrer_client_id,
        nearby.referrer_name,
        nearby.cluster_key,
        nearby.distance_km,
        targets.contact_id,
        targets.client_id as target_client_id,
        targets.full_name,
        targets.phone,
        targets.email,
        targets.company_name,
        targets.cui,
        coalesce(nearby.cluster_key = target_clusters.cluster_key, false) as same_cluster
    from nearby
    inner join {{ ref('int_referral_targets') }} as targets
        on
            nearby.tenant_id = targets.tenant_id
            and nearby.target_client_id = targets.client_id
    left join {{ ref('int_geographic_clusters') }} as target_clusters
        on
            nearby.tenant_id = target_clusters.tenant_id
            and nearby.target_client_id = target_clusters.client_id
    where
        targets.is_primary_contact
        and targets.ineligible_reason is null
        and not exists (
            select 1
            from open_suggestions
            where
                open_suggestions.tenant_id = targets.tenant_id
                and open_suggestions.referred_prospect_id = targets.contact_id
        )
        and not exists (
            select 1
            from suggested
            where
                suggested.tenant_id = targets.tenant_id
                and suggested.referrer_client_id = nearby.referrer_client_id
                and suggested.referred_prospect_id = targets.contact_id
        )
),

best_referrer as (
    select
        *,
        row_number() over (
            partition by tenant_id, contact_id
            order by same_cluster desc, distance_km asc, referrer_client_id asc
        ) as referrer_rank
    from candidates
),

ranked as (
    select
        *,
        row_number() over (
            partition by tenant_id, referrer_client_id
            order by same_cluster desc, distance_km asc, contact_id asc
        ) as suggestion_rank
    from best_referrer
    where referrer_rank = 1
),

final as (
    select
        ranked.tenant_id,
        ranked.referrer_client_id,
        ranked.referrer_name,
        ranked.contact_id,
        ranked.target_client_id,
        ranked.full_name as referred_contact_name,
        ranked.phone as referred_contact_phone,
        ranked.email as referred_contact_email,
        ranked.company_name as referred_company_name,
        ranked.cui as referred_company_cui,
        ranked.distance_km,
        ranked.same_cluster,
        ranked.cluster_key,
        ranked.suggestion_rank,
        {{ logical_time() }}
        + interval '1 day' * {{ var('referral_suggestion_valid_days') }} as expires_at
    from ranked
    left join open_per_referrer
        on
            ranked.tenant_id = open_per_referrer.tenant_id
            and ranked.referrer_client_id = open_per_referrer.referrer_client_id
    where
        ranked.suggestion_rank
        <= {{ var('referral_suggestions_per_referrer') }}
        - coalesce(open_per_referrer.open_for_referrer, 0)
)

select * from final
