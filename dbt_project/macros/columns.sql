{#- dbt-postgres reads a column's type from information_schema.columns.data_type, which is
    USER-DEFINED for PostGIS types (geography, geometry): a unit-test fixture is then cast to
    "USER-DEFINED" and fails, for any model whose input has a location. Same query, with the
    type's own name (udt_name) for user-defined types. -#}
{% macro postgres__get_columns_in_relation(relation) -%}
    {% call statement('get_columns_in_relation', fetch_result=True) %}
        select
            column_name,
            case when data_type = 'USER-DEFINED' then udt_name else data_type end as data_type,
            character_maximum_length,
            numeric_precision,
            numeric_scale
        from {{ relation.information_schema('columns') }}
        where
            table_name = '{{ relation.identifier }}'
            {% if relation.schema %}
                and table_schema = '{{ relation.schema }}'
            {% endif %}
        order by ordinal_position
    {% endcall %}
    {% set table = load_result('get_columns_in_relation').table %}
    {{ return(sql_convert_columns_in_relation(table)) }}
{%- endmacro %}
