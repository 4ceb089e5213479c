"""Fingerprints of the write-back tables of one tenant, to compare runs row for row."""

from __future__ import annotations

from uuid import UUID

import psycopg

# What each write-back table holds, without surrogate ids and wall-clock columns.
FINGERPRINTS = {
    "gold_nurturing_state": """client_id, current_state, previous_state, state_changed_at,
        onboarding_started_at, total_orders, total_revenue, average_order_value,
        order_frequency_days, days_since_last_order, nps_score, nps_category,
        satisfaction_trend, churn_risk_score, churn_risk_level, is_at_risk, at_risk_since,
        successful_referrals, is_advocate, advocate_since, kol_score, neighbor_count""",
    "gold_nurturing_actions": """client_id, action_type, trigger_event, trigger_data, status,
        channel, scheduled_at, executed_at""",
    "gold_churn_signals": """client_id, signal_type, evidence_source_id, strength, confidence,
        is_resolved, resolved_at, resolution_type, detected_at, occurrence_count""",
    "gold_churn_factors": """client_id, overall_churn_score, risk_level, factor_breakdown,
        active_signal_count, strongest_signal_type, calculated_at""",
    "gold_hitl_tasks_e5": """client_id, task_type, priority, sla_deadline, sla_warning_at,
        sla_status, status, resolution, escalation_level, escalated_to, assigned_to, context""",
    "gold_nps_surveys": """client_id, order_id, survey_type, status, scheduled_at, sent_at,
        score, nps_category, skip_reason""",
    "gold_winback_campaigns": "client_id, status, steps, started_at",
    "gold_kol_profiles": "client_id, kol_score, kol_tier, score_components, promoted_at",
    "gold_content_drips": "client_id, sequence_name, step_number, status, scheduled_at, sent_at",
    "gold_referrals": """referrer_client_id, referred_prospect_id, status, converted, expires_at,
        expiry_reason, distance_from_referrer_km, same_cluster""",
    # Geography (cluster ids are random: compared through their members and figures).
    "gold_entity_relationships": """source_entity_id, target_entity_id, relation_type,
        strength, distance_meters, is_active, deactivated_at, deactivation_reason""",
    "gold_proximity_scores": "client_a_id, client_b_id, distance_meters, proximity_score",
    "gold_clusters": """cluster_type, cluster_name, member_count, advocate_count,
        total_revenue, penetration_rate, radius_km, is_active""",
    "gold_cluster_members": "client_id, member_role, distance_to_center_km, joined_at, left_at",
    "cerniq_outbox": "client_id, channel, message_type, payload, source_table, enqueued_at",
}


def fingerprint(url: str, tenant_id: UUID) -> dict[str, tuple[int, str]]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                f"select count(*), md5(coalesce(string_agg(r::text, '|' order by r::text), '')) "
                f"from (select {columns} from {table} where tenant_id = %s) r",
                (tenant_id,),
            ).fetchone()
            for table, columns in FINGERPRINTS.items()
        }
