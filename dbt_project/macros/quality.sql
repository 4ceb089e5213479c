{#- Rejected source rows (issue 15). The rules are database functions (migration 013:
    cerniq_<row>_rejection), stated once; here, once, is which function checks which table and
    with which of its columns. The staging views keep the rows they accept (rejected_rule is
    null); fct_rejected_source_rows lists the others. -#}

{#- table -> (dbt source, rule function, the columns it checks besides tenant and client) -#}
{% macro source_row_checks() -%}
    {{ return({
        "gold_orders": ("cerniq", "cerniq_order_rejection", ["total_value", "currency"]),
        "gold_client_messages": ("cerniq", "cerniq_message_rejection", ["body"]),
        "gold_invoices": ("cerniq", "cerniq_invoice_rejection", ["amount", "issued_at", "due_at"]),
        "gold_support_tickets": ("cerniq", "cerniq_support_ticket_rejection", []),
        "gold_nps_surveys": ("nurturing", "cerniq_nps_survey_rejection", ["score"]),
    }) }}
{%- endmacro %}

{#- Every row of a per-client source table, with client_tenant_id (the tenant of its client_id
    in gold_clients, NULL when there is no such client), rejected_rule (NULL: valid) and
    rejection_detail (the values the rule looked at). -#}
{% macro checked_source_rows(table) -%}
    {%- set source_name, rule_function, columns = source_row_checks()[table] -%}
    select
        source_rows.*,
        clients.tenant_id as client_tenant_id,
        {{ rule_function }}(
            source_rows.tenant_id, clients.tenant_id
            {%- for column in columns %}, source_rows.{{ column }}{% endfor %}
        ) as rejected_rule,
        jsonb_build_object(
            'client_tenant_id', clients.tenant_id
            {%- for column in columns -%}
                {%- if column == "body" %}, 'body_length', length(source_rows.body)
                {%- else %}, '{{ column }}', source_rows.{{ column }}
                {%- endif -%}
            {%- endfor %}
        ) as rejection_detail
    from {{ source(source_name, table) }} as source_rows
    left join {{ ref('stg_cerniq__clients') }} as clients
        on source_rows.client_id = clients.client_id
{%- endmacro %}

{#- The rows of a per-client source table that no rule rejects. -#}
{% macro accepted_source_rows(table) -%}
    select * from ({{ checked_source_rows(table) }}) as checked_rows
    where rejected_rule is null
{%- endmacro %}
