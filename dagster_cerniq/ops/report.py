"""What the pipeline made of a tenant, as readable lines (the end of `cerniq demo`)."""

from __future__ import annotations

from uuid import UUID

import psycopg


def pipeline_report(conn: psycopg.Connection, tenant_id: UUID) -> list[str]:
    params = {"t": tenant_id}

    def pairs(query: str) -> str:
        rows = conn.execute(query, params).fetchall()
        return ", ".join(f"{key} {count:,}" for key, count in rows) or "none"

    lines = [
        "Lifecycle states: " + pairs(
            "select current_state::text, count(*) from gold_nurturing_state "
            "where tenant_id = %(t)s group by 1 order by 2 desc"
        ),
        "Churn risk levels: " + pairs(
            "select risk_level, count(*) from gold_churn_factors where tenant_id = %(t)s "
            "group by 1 order by min(overall_churn_score) desc"
        ),
        # Issue 15: rows of the app's tables a rule rejects are left out of everything below.
        "Source rows rejected (table, rule): " + pairs(
            "select source_table || ' ' || rule, count(*) from cerniq_rejected_source_rows "
            "where tenant_id = %(t)s and resolved_at is null group by 1 order by 2 desc, 1"
        ),
        "Messages analysed: " + pairs(
            "select sentiment_label || ' (' || model_name || ')', count(*) "
            "from gold_sentiment_analysis where tenant_id = %(t)s group by 1 order by 2 desc"
        ),
        "Competitors mentioned: " + pairs(
            "select competitor_name, count(*) from gold_competitor_intel "
            "where tenant_id = %(t)s group by 1 order by 2 desc, 1 limit 5"
        ),
        "Active churn signals: " + pairs(
            "select signal_type::text, count(*) from gold_churn_signals "
            "where tenant_id = %(t)s and not is_resolved group by 1 order by 2 desc"
        ),
        "Transitions so far: " + pairs(
            "select trigger_event, count(*) from gold_nurturing_actions "
            "where tenant_id = %(t)s and action_type = 'STATE_TRANSITION' "
            "group by 1 order by 2 desc"
        ),
        "Follow-ups created:",
        "  Onboarding content steps: " + pairs(
            "select status, count(*) from gold_content_drips where tenant_id = %(t)s "
            "group by 1 order by 2 desc"
        ),
        "  NPS surveys: " + pairs(
            "select status || coalesce(' (' || skip_reason || ')', ''), count(*) "
            "from gold_nps_surveys where tenant_id = %(t)s and nurturing_action_id is not null "
            "group by 1 order by 2 desc"
        ),
        "  Messages in the outbox: " + pairs(
            "select message_type, count(*) from cerniq_outbox where tenant_id = %(t)s "
            "group by 1 order by 2 desc"
        ),
        "  Open HITL tasks (type, priority, SLA): " + pairs(
            "select task_type || ' ' || priority || ' ' || sla_status, count(*) "
            "from gold_hitl_tasks_e5 where tenant_id = %(t)s and cerniq_hitl_task_is_open(status) "
            "group by 1 order by 2 desc"
        ),
        "  HITL tasks escalated after an SLA breach: " + pairs(
            "select coalesce(u.role, 'nobody to escalate to'), count(*) from gold_hitl_tasks_e5 t "
            "left join users u on u.id = t.escalated_to where t.tenant_id = %(t)s "
            "and t.sla_status = 'BREACHED' group by 1"
        ),
        "  HITL tasks closed because the risk cleared: " + pairs(
            "select task_type, count(*) from gold_hitl_tasks_e5 where tenant_id = %(t)s "
            "and resolution = 'AUTO_CLOSED_RISK_CLEARED' group by 1"
        ),
        "  Referral requests: " + pairs(
            "select status, count(*) from gold_nurturing_actions where tenant_id = %(t)s "
            "and action_type = 'REFERRAL_REQUEST' group by 1"
        ),
        "  Referrals: " + pairs(
            "select status::text, count(*) from gold_referrals where tenant_id = %(t)s "
            "group by 1 order by 2 desc"
        ),
        "  Win-back campaigns: " + pairs(
            "select status, count(*) from gold_winback_campaigns where tenant_id = %(t)s group by 1"
        ),
        "  KOL profiles: " + pairs(
            "select kol_tier, count(*) from gold_kol_profiles where tenant_id = %(t)s group by 1"
        ),
        "Top clients at risk, and why:",
    ]  # fmt: skip
    top = conn.execute(
        """
        select c.company_name, c.county, f.overall_churn_score, f.risk_level,
               s.current_state::text, f.strongest_signal_type::text,
               (select g.evidence_text from gold_churn_signals g
                where g.tenant_id = f.tenant_id and g.client_id = f.client_id
                  and not g.is_resolved and g.signal_type = f.strongest_signal_type
                order by g.strength desc, g.id limit 1)
        from gold_churn_factors f
        join gold_clients c on c.tenant_id = f.tenant_id and c.id = f.client_id
        join gold_nurturing_state s on s.tenant_id = f.tenant_id and s.client_id = f.client_id
        where f.tenant_id = %(t)s
        order by f.overall_churn_score desc, c.company_name
        limit 5
        """,
        params,
    ).fetchall()
    for name, county, score, level, state, signal, evidence in top:
        why = f"{signal}: {evidence[:90]}" if signal else "inactivity"
        lines.append(f"  {score:>6} {level:<8} {state:<16} {name} ({county}) - {why}")
    return lines + work_queue_report(conn, tenant_id)


def work_queue_report(conn: psycopg.Connection, tenant_id: UUID, rows: int = 10) -> list[str]:
    """The top of the tenant's HITL work queue (the view the app reads) and its pool."""
    (open_tasks, pool) = conn.execute(
        "select count(*), count(*) filter (where assigned_to is null) "
        "from cerniq_hitl_work_queue where tenant_id = %s",
        (tenant_id,),
    ).fetchone()
    top = conn.execute(
        "select queue_rank, client_name, task_type, churn_probability, predicted_churn_date, "
        "revenue_at_risk, expected_loss, assignee_name from cerniq_hitl_work_queue "
        "where tenant_id = %s order by queue_rank limit %s",
        (tenant_id, rows),
    ).fetchall()
    lines = [
        f"HITL work queue by expected loss: {open_tasks:,} open tasks, {pool:,} of them "
        "unassigned in the pool",
        f"  {'rank':>4} {'type':<18} {'churn %':>7} {'churn date':<10} {'revenue at risk':>15} "
        f"{'expected loss':>13}  {'assignee':<20} client",
    ]
    for rank, client, task_type, probability, churn_date, revenue, loss, assignee in top:
        lines.append(
            f"  {rank:>4} {task_type:<18} {blank(probability):>7} {blank(churn_date):<10} "
            f"{amount(revenue):>15} {amount(loss):>13}  {(assignee or 'pool')[:20]:<20} {client}"
        )
    return lines


def geography_report(conn: psycopg.Connection, tenant_id: UUID, rows: int = 3) -> list[str]:
    """The tenant's geography: neighbour pairs, the largest clusters, the open neighbour
    suggestions and the nearest of them."""
    (located, missing, pairs, mean_km) = conn.execute(
        "select count(*) filter (where location is not null), count(*) filter (where location "
        "is null), (select count(*) from gold_entity_relationships where tenant_id = %(t)s and "
        "relation_type = 'NEIGHBOR' and is_active), (select round(avg(distance_meters) / 1000, 1) "
        "from gold_entity_relationships where tenant_id = %(t)s and relation_type = 'NEIGHBOR' "
        "and is_active) from gold_clients where tenant_id = %(t)s",
        {"t": tenant_id},
    ).fetchone()
    clusters = conn.execute(
        "select cluster_name, member_count, advocate_count, penetration_rate, radius_km, "
        "count(*) over () from gold_clusters where tenant_id = %s and cluster_type = "
        "'GEOGRAPHIC' and is_active order by member_count desc, cluster_name limit %s",
        (tenant_id, rows),
    ).fetchall()
    suggestions = conn.execute(
        "select r.referrer_name, r.referred_company_name, r.distance_from_referrer_km, "
        "r.same_cluster, r.status::text, count(*) over () from gold_referrals r "
        "where r.tenant_id = %s and r.referral_type = 'NEIGHBOR_STRATEGY' and "
        "r.referral_source = 'GEO_PROXIMITY' and r.status in ('PENDING_CONSENT', "
        "'AWAITING_CONSENT') order by r.same_cluster desc, r.distance_from_referrer_km limit %s",
        (tenant_id, rows),
    ).fetchall()
    lines = [
        f"Geography: {located:,} located companies ({missing:,} without a location), "
        f"{pairs:,} neighbour pairs within the radius (mean {blank(mean_km)} km), "
        f"{clusters[0][5] if clusters else 0:,} clusters, "
        f"{suggestions[0][5] if suggestions else 0:,} open neighbour suggestions"
    ]
    for name, members, advocates, penetration, radius, _ in clusters:
        lines.append(
            f"  cluster {name}: {members} companies within {radius} km, {advocates} advocate(s),"
            f" {penetration} % already buy"
        )
    for referrer, prospect, km, same, status, _ in suggestions:
        where = "same cluster" if same else "nearby"
        lines.append(f"  ask {referrer} about {prospect} ({km} km, {where}, {status})")
    return lines


def blank(value: object) -> str:
    return "-" if value is None else str(value)


def amount(value: object) -> str:
    return "-" if value is None else f"{value:,.2f}"
