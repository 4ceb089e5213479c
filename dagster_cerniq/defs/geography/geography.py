"""The geography step (SPEC §5), from the dbt marts: NEIGHBOR pairs in gold_entity_relationships
(inserted once, updated in place, deactivated with a reason) and gold_proximity_scores; this
run's density clusters stored under the id of the cluster each continues (most of its members)
in gold_clusters and gold_cluster_members; the state's neighbor_count and geographic_cluster_id;
the NEIGHBOR_STRATEGY suggestions of prospects near each LOYAL_CLIENT and ADVOCATE, which the
referral requests name; and the MEMBER_OF and SAME_ASSOCIATION relationships the app's
gold_affiliations imply. Every write is scoped to the run's tenants and only where a value
changed, so a rerun writes nothing. The metadata links a map of the run's first tenant."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue

from dagster_cerniq.defs.geography.map import geography_map
from dagster_cerniq.defs.write_back_asset import write_back_asset
from dagster_cerniq.lib.reports import report_dir
from dagster_cerniq.lib.resources import CerniqDatabase
from dagster_cerniq.lib.write_back import Reads, execute, fetch, stage, statements, write_back

READS = Reads(
    models=(
        "fct_client_neighbors",
        "int_geographic_clusters",
        "fct_geographic_clusters",
        "int_referral_targets",
        "fct_neighbor_referral_suggestions",
        "fct_affiliation_relations",
    ),
    # The clusters' advocates and the referrers are the states as this run's transitions
    # leave them.
    after=("state_transitions",),
)
SQL = statements(__file__, READS)
MATCH_CLUSTERS = SQL("match_clusters")
DEACTIVATE_CLUSTERS = SQL("deactivate_clusters")
INSERT_CLUSTERS = SQL("insert_clusters")
UPDATE_CLUSTERS = SQL("update_clusters")
STAGE_CLUSTER_MEMBERS = SQL("stage_cluster_members")
END_MEMBERSHIPS = SQL("end_cluster_memberships")
UPDATE_MEMBERSHIPS = SQL("update_cluster_memberships")
NEW_MEMBERSHIPS = SQL("new_cluster_memberships")
INSERT_MEMBERSHIPS = SQL("insert_cluster_memberships")
DEACTIVATE_NEIGHBORS = SQL("deactivate_neighbors")
UPDATE_NEIGHBORS = SQL("update_neighbors")
NEW_NEIGHBOR_PAIRS = SQL("new_neighbor_pairs")
INSERT_NEIGHBORS = SQL("insert_neighbors")
REMOVE_STALE_PROXIMITY = SQL("remove_stale_proximity_scores")
UPDATE_PROXIMITY = SQL("update_proximity_scores")
NEW_PROXIMITY_PAIRS = SQL("new_proximity_pairs")
INSERT_PROXIMITY = SQL("insert_proximity_scores")
UPDATE_STATE_GEOGRAPHY = SQL("update_state_geography")
WITHDRAW_REFERRALS = SQL("withdraw_neighbor_referrals")
INSERT_REFERRALS = SQL("insert_neighbor_referrals")
DEACTIVATE_AFFILIATIONS = SQL("deactivate_affiliation_relations")
UPDATE_AFFILIATIONS = SQL("update_affiliation_relations")
NEW_AFFILIATIONS = SQL("new_affiliation_relations")
INSERT_AFFILIATIONS = SQL("insert_affiliation_relations")
SUMMARY = SQL("geography_summary")


def apply_geography(conn, scope) -> dict[str, int]:
    """Every write of the step in one transaction; rows changed by each. Rows to insert are
    chosen (staged) before the insert that adds them: a NOT EXISTS against the growing table,
    planned while it was empty, rescans it per row (lib.write_back.stage)."""
    changed = {}
    stage(conn, "geographic_cluster_ids", MATCH_CLUSTERS, scope)
    changed["clusters_ended"] = execute(conn, DEACTIVATE_CLUSTERS, scope)
    changed["clusters_new"] = execute(conn, INSERT_CLUSTERS, scope)
    changed["clusters_updated"] = execute(conn, UPDATE_CLUSTERS, scope)
    stage(conn, "geographic_cluster_members", STAGE_CLUSTER_MEMBERS, scope)
    changed["memberships_ended"] = execute(conn, END_MEMBERSHIPS, scope)
    changed["memberships_updated"] = execute(conn, UPDATE_MEMBERSHIPS, scope)
    stage(conn, "new_cluster_memberships", NEW_MEMBERSHIPS, scope)
    changed["memberships_new"] = execute(conn, INSERT_MEMBERSHIPS, scope)
    changed["neighbors_deactivated"] = execute(conn, DEACTIVATE_NEIGHBORS, scope)
    changed["neighbors_updated"] = execute(conn, UPDATE_NEIGHBORS, scope)
    stage(conn, "new_neighbor_pairs", NEW_NEIGHBOR_PAIRS, scope)
    changed["neighbors_new"] = execute(conn, INSERT_NEIGHBORS, scope)
    changed["proximity_scores_removed"] = execute(conn, REMOVE_STALE_PROXIMITY, scope)
    changed["proximity_scores_updated"] = execute(conn, UPDATE_PROXIMITY, scope)
    stage(conn, "new_proximity_pairs", NEW_PROXIMITY_PAIRS, scope)
    changed["proximity_scores_new"] = execute(conn, INSERT_PROXIMITY, scope)
    changed["states_updated"] = execute(conn, UPDATE_STATE_GEOGRAPHY, scope)
    changed["associations_deactivated"] = execute(conn, DEACTIVATE_AFFILIATIONS, scope)
    changed["associations_updated"] = execute(conn, UPDATE_AFFILIATIONS, scope)
    stage(conn, "new_affiliation_relations", NEW_AFFILIATIONS, scope)
    changed["associations_new"] = execute(conn, INSERT_AFFILIATIONS, scope)
    changed["suggestions_withdrawn"] = execute(conn, WITHDRAW_REFERRALS, scope)
    changed["suggestions_new"] = execute(conn, INSERT_REFERRALS, scope)
    return changed


@write_back_asset(
    key="geography",
    worker="geography",
    reads=READS,
    description=(
        "Geography: NEIGHBOR relationships and proximity scores within the radius, GEOGRAPHIC "
        "density clusters with stable ids, the state's neighbour count and cluster, and "
        "NEIGHBOR_STRATEGY referral suggestions for LOYAL and ADVOCATE clients, association "
        "relationships from gold_affiliations; a map."
    ),
)
def geography(context: AssetExecutionContext, database: CerniqDatabase) -> MaterializeResult:
    with write_back(context, database) as (conn, scope):
        changed = apply_geography(conn, scope)
        summary = fetch(conn, SUMMARY, scope)
    metadata: dict[str, object] = {
        **changed,
        "by_tenant": MetadataValue.md(
            "| tenant | neighbour pairs | clusters | clustered companies | open suggestions |\n"
            "|---|---|---|---|---|\n"
            + "\n".join(f"| {t} | {p} | {c} | {m} | {s} |" for t, p, c, m, s in summary)
        ),
    }
    if scope.tenant_ids:
        tenant = scope.tenant_ids[0]
        picture = report_dir("geography") / f"{context.run.run_id}.png"
        with database.transaction(application_name="cerniq geography map") as conn:
            picture.write_bytes(
                geography_map(conn, tenant, f"Tenant {tenant[:8]} as of {scope.as_of}")
            )
        metadata["map"] = MetadataValue.path(str(picture))
    return MaterializeResult(metadata=metadata)
