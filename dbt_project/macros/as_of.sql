{#- The run's as-of date. Events count when dated on or before it; dates are UTC dates. -#}

{% macro as_of_date() -%}
    {%- set configured = var("as_of") -%}
    {%- if configured in (none, "", "today") -%}
        {%- set tz = modules.pytz.timezone("Europe/Bucharest") -%}
        {%- set configured = run_started_at.astimezone(tz).strftime("%Y-%m-%d") -%}
    {%- elif not modules.re.match("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", configured | string) -%}
        {{ exceptions.raise_compiler_error("var as_of must be YYYY-MM-DD or 'today', got " ~ configured) }}
    {%- endif -%}
    cast('{{ configured }}' as date)
{%- endmacro %}

{#- The first instant after the as-of date (00:00 UTC of the next day). -#}
{% macro as_of_end() -%}
    (cast({{ as_of_date() }} + 1 as timestamp) at time zone 'UTC')
{%- endmacro %}

{#- Whether an event's timestamp falls on or before the as-of date. -#}
{% macro seen_as_of(timestamp_column) -%}
    ({{ timestamp_column }} < {{ as_of_end() }})
{%- endmacro %}

{#- The UTC calendar date of a timestamp. -#}
{% macro utc_date(timestamp_column) -%}
    cast({{ timestamp_column }} at time zone 'UTC' as date)
{%- endmacro %}

{#- Whole calendar days from an event's UTC date to the as-of date. -#}
{% macro days_before_as_of(timestamp_column) -%}
    ({{ as_of_date() }} - {{ utc_date(timestamp_column) }})
{%- endmacro %}

{#- The run's logical time: the end of the as-of day, or now if that is earlier (SPEC §2).
    Dagster passes the run's own (var logical_time), so every step of a run uses one instant. -#}
{% macro logical_time() -%}
    {%- set given = var("logical_time", none) -%}
    {%- if given -%}
        least({{ as_of_end() }}, cast('{{ given }}' as timestamptz))
    {%- else -%}
        least({{ as_of_end() }}, now())
    {%- endif -%}
{%- endmacro %}

{#- SPEC §1.1: a completed order, delivered on or before the as-of date. -#}
{% macro is_completed_order(status_column='order_status', delivered_column='delivered_at') -%}
    {#- The rule itself is the database function of migration 012, which the write-back, the
        sensors and `cerniq show` ask too. -#}
    (cerniq_order_is_completed({{ status_column }}, {{ delivered_column }})
    and {{ seen_as_of(delivered_column) }})
{%- endmacro %}

{#- NPS category of a 0-10 score (SPEC §3). -#}
{% macro nps_category(score_column) -%}
    case
        when {{ score_column }} >= {{ var('nps_promoter_min') }} then 'PROMOTER'
        when {{ score_column }} >= {{ var('nps_passive_min') }} then 'PASSIVE'
        else 'DETRACTOR'
    end
{%- endmacro %}

{#- Rows this pipeline stamps with a run's logical time (sent_at of surveys, referral
    requests) belong to that run's as-of date: the end of day D (D + 1 00:00 UTC) is day D.
    Stamped by this run or an earlier one: -#}
{% macro stamped_by_logical_time(timestamp_column) -%}
    ({{ timestamp_column }} <= {{ logical_time() }})
{%- endmacro %}

{#- Whole days from the as-of date of the run that stamped a row to this run's as-of date. -#}
{% macro days_since_stamp(timestamp_column) -%}
    ({{ as_of_date() }} - {{ utc_date('(' ~ timestamp_column ~ " - interval '1 microsecond')") }})
{%- endmacro %}
