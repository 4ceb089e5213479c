{{ config(indexes=[
    {'columns': ['tenant_id', 'client_id'], 'unique': true},
    {'columns': ['tenant_id', 'location'], 'type': 'gist'},
]) }}

-- SPEC §5: the tenants' companies with a location, as of the as-of date: clients (a completed
-- order up to that date) and prospects (none yet). A company without a location has no
-- neighbours, no cluster and is never a referral target. The GIST index holds
-- (tenant_id, location) (btree_gist, migration 018): a search near a farm reads its tenant's
-- points only, though every tenant has farms in the same villages.
with companies as (
    select * from {{ ref('stg_cerniq__clients') }}
    where
        {{ tenant_filter('tenant_id') }}
        and location is not null
        and not st_isempty(cast(location as geometry))
        and {{ seen_as_of('created_at') }}
),

orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

final as (
    select
        companies.tenant_id,
        companies.client_id,
        companies.company_name,
        companies.cui,
        companies.county,
        companies.locality,
        companies.location,
        orders.client_id is not null as is_client,
        coalesce(orders.total_revenue, 0) as total_revenue
    from companies
    left join orders
        on
            companies.tenant_id = orders.tenant_id
            and companies.client_id = orders.client_id
)

select * from final
