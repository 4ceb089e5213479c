{{ config(indexes=[{'columns': ['tenant_id', 'contact_id'], 'unique': true}]) }}

-- Who a neighbour referral may name: the contacts of the tenant's companies, each with why it
-- may not be named (ineligible_reason): its company already buys (IS_CLIENT), it turned a
-- referral down (DECLINED: a REJECTED referral naming it), or its company has no location
-- (NO_LOCATION). A contact with no company on record (client_id NULL) has no place: not here.
with contacts as (
    select * from {{ ref('stg_cerniq__contacts') }}
    where
        {{ tenant_filter('tenant_id') }}
        and client_id is not null
        and {{ seen_as_of('created_at') }}
),

companies as (
    select * from {{ ref('stg_cerniq__clients') }}
    where {{ tenant_filter('tenant_id') }}
),

orders as (
    select * from {{ ref('int_client_orders') }}
    where {{ tenant_filter('tenant_id') }}
),

declined as (
    select distinct
        tenant_id,
        referred_prospect_id as contact_id
    from {{ ref('stg_nurturing__referrals') }}
    where
        {{ tenant_filter('tenant_id') }}
        and referral_status = 'REJECTED'
        and referred_prospect_id is not null
),

final as (
    select
        contacts.tenant_id,
        contacts.contact_id,
        contacts.client_id,
        contacts.full_name,
        contacts.phone,
        contacts.email,
        companies.company_name,
        companies.cui,
        -- The company's first contact is the one a suggestion names.
        row_number() over (
            partition by contacts.tenant_id, contacts.client_id
            order by contacts.created_at, contacts.contact_id
        ) = 1 as is_primary_contact,
        case
            when orders.client_id is not null then 'IS_CLIENT'
            when declined.contact_id is not null then 'DECLINED'
            when companies.location is null then 'NO_LOCATION'
        end as ineligible_reason
    from contacts
    inner join companies
        on
            contacts.tenant_id = companies.tenant_id
            and contacts.client_id = companies.client_id
    left join orders
        on
            contacts.tenant_id = orders.tenant_id
            and contacts.client_id = orders.client_id
    left join declined
        on
            contacts.tenant_id = declined.tenant_id
            and contacts.contact_id = declined.contact_id
)

select * from final
