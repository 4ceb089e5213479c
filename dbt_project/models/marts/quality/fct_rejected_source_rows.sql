{{ config(indexes=[{'columns': ['tenant_id', 'source_table', 'source_id'], 'unique': true}]) }}

-- Every row of the app's per-client source tables that a rule rejects (migration 013, checked
-- as macros/quality.sql says), with its rule and the values that break it. The staging views
-- leave these rows out; the rejected_source_rows step records them. The rows of the selected
-- tenants as they are now: a rule is a property of the row, not of the as-of date.
{%- set tables = source_row_checks().keys() | sort %}

with
{% for table in tables %}
    {{ table }} as (
        select
            '{{ table }}' as source_table,
            id as source_id,
            tenant_id,
            client_id,
            rejected_rule,
            rejection_detail
        from ({{ checked_source_rows(table) }}) as checked_rows
        where
            {{ tenant_filter('tenant_id') }}
            and rejected_rule is not null
    ),
{% endfor %}

final as (
    {%- for table in tables %}
        {%- if not loop.first %}
            union all
        {%- endif %}
        select * from {{ table }}
    {%- endfor %}
)

select * from final
