-- The rows a rule rejects (migration 013, macros/quality.sql) are left out;
-- fct_rejected_source_rows lists them.
with source as (
    {{ accepted_source_rows('gold_client_messages') }}
),

renamed as (
    select
        id as message_id,
        tenant_id,
        client_id,
        direction,
        channel,
        body,
        sent_at,
        created_at
    from source
)

select * from renamed
