-- LOYAL and ADVOCATE clients due a referral request (fct_referral_requests_due) get one; only
-- if the state is still the one evaluated, and nobody asked since. The request names the
-- neighbours the geography step suggested asking about.
insert into gold_nurturing_actions (
    tenant_id, nurturing_state_id, client_id, action_type, action_category, trigger_type,
    trigger_event, trigger_data, channel, status, scheduled_at, batch_id
)
select
    d.tenant_id,
    d.nurturing_state_id,
    d.client_id,
    'REFERRAL_REQUEST',
    'REFERRAL',
    'SCHEDULED',
    'REFERRAL_ELIGIBLE',
    jsonb_build_object(
        'state', d.current_state,
        'last_requested_at', d.last_requested_at,
        -- The neighbours to ask about: the geography step's suggestions awaiting consent.
        'neighbor_referrals', coalesce((
            select
                jsonb_agg(
                    jsonb_build_object(
                        'contact_id', n.referred_prospect_id,
                        'contact_name', n.referred_contact_name,
                        'company_name', n.referred_company_name,
                        'distance_km', n.distance_from_referrer_km,
                        'same_cluster', n.same_cluster
                    )
                    order by
                        n.same_cluster desc,
                        n.distance_from_referrer_km asc,
                        n.referred_prospect_id asc
                )
            from gold_referrals as n
            where
                n.tenant_id = d.tenant_id
                and n.referrer_client_id = d.client_id
                and n.referral_type = 'NEIGHBOR_STRATEGY'
                and n.referral_source = 'GEO_PROXIMITY'
                and n.status = 'PENDING_CONSENT'
        ), '[]'::jsonb)
    ),
    coalesce(s.preferred_channel, 'EMAIL'),
    'PENDING',
    %(logical_time)s,
    %(batch_id)s
from {fct_referral_requests_due} as d
inner join gold_nurturing_state as s on d.nurturing_state_id = s.id
where
    d.tenant_id = any(%(tenants)s::uuid[])
    and d.is_due
    and s.current_state::text = d.current_state
    and not exists (
        select 1
        from gold_nurturing_actions as r
        where
            r.tenant_id = d.tenant_id
            and r.client_id = d.client_id
            and r.action_type = 'REFERRAL_REQUEST'
            and r.scheduled_at > coalesce(d.last_requested_at, '-infinity')
    )
