{#- The tenant selection of the run (var tenant_ids; empty = every tenant). -#}

{% macro selected_tenant_ids() -%}
    {%- set ids = var("tenant_ids") -%}
    {%- if ids is string -%}
        {%- set ids = ids.split(",") | map("trim") | reject("equalto", "") | list -%}
    {%- endif -%}
    {#- One regex over the whole list: a per-id loop costs seconds per model at 1,000 tenants. -#}
    {%- set pattern = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}" -%}
    {%- if ids and not modules.re.fullmatch("(" ~ pattern ~ ")(," ~ pattern ~ ")*", ids | join(",")) -%}
        {%- for id in ids if not modules.re.fullmatch(pattern, id | string) -%}
            {%- if loop.first -%}
                {{ exceptions.raise_compiler_error("var tenant_ids holds a value that is not a UUID: " ~ id) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(ids) }}
{%- endmacro %}

{#- A predicate keeping the selected tenants' rows: one array literal, whatever the count. -#}
{% macro tenant_filter(column="tenant_id") -%}
    {%- set ids = selected_tenant_ids() -%}
    {%- if ids | length == 0 -%}
        true
    {%- else -%}
        {{ column }} = any(cast('{{ "{" ~ ids | join(",") ~ "}" }}' as uuid[]))
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of per-tenant tables: drop the selected tenants' old rows before the new ones are
    appended, in the same transaction, so a run rewrites its tenants and no other. -#}
{% macro clear_selected_tenants() -%}
    {%- if is_incremental() -%}
        {%- if selected_tenant_ids() | length == 0 -%}
            truncate table {{ this }}
        {%- else -%}
            delete from {{ this }} where {{ tenant_filter("tenant_id") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
