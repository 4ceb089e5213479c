{#- A signal's strength from its rule row (seeds/churn_signal_rules.csv) and its measure. -#}
{% macro signal_strength(rule, measure) -%}
    round(
        least(
            {{ rule }}.max_strength,
            greatest({{ rule }}.min_strength, {{ rule }}.base_strength + {{ rule }}.strength_per_unit * ({{ measure }}))
        ),
        2
    )
{%- endmacro %}

{#- The stable key of a signal: (client, type, evidence source id) as one uuid. -#}
{% macro signal_key(client_id, signal_type, evidence_source_id) -%}
    cast(md5(concat_ws('|', {{ client_id }}, {{ signal_type }}, {{ evidence_source_id }})) as uuid)
{%- endmacro %}

{#- Whether a jsonb value is a non-empty array. -#}
{% macro is_nonempty_array(jsonb_column) -%}
    {#- case, not and: PostgreSQL may evaluate the length of a non-array first and fail -#}
    coalesce(case when jsonb_typeof({{ jsonb_column }}) = 'array' then jsonb_array_length({{ jsonb_column }}) > 0 end, false)
{%- endmacro %}
