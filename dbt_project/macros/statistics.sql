{#- Post-hook of per-tenant tables: fresh planner statistics as soon as a table is rebuilt. The
    write-back steps join these tables with the gold tables right after the build, before
    autovacuum would analyze them; without statistics a million-row mart looks empty and gets
    nested-loop plans. -#}
{% macro refresh_statistics() -%}
    {%- if config.get("materialized") != "view" -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
