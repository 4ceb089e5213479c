"""Where a pipeline run's time goes: the Dagster steps and, inside the dbt steps, models, data
tests and seeds, all from the run's event log in the `<database>_dagster` storage (dagster-dbt
records each dbt node's execution duration on its materialization or check evaluation)."""

import re

import psycopg
from dagster import EventLogEntry, deserialize_value

from dagster_cerniq.ops.database import with_database
from dagster_cerniq.ops.instance import storage_database

RUN_ID = re.compile(r"^run ([0-9a-f-]{36}) ", re.MULTILINE)

STEP_TIMES = """
    select step_key, dagster_event_type, timestamp from event_logs
    where run_id = %s and dagster_event_type in
        ('PIPELINE_START', 'PIPELINE_SUCCESS', 'STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE')
    order by timestamp
"""

# A dbt model of a run over many tenant partitions has one materialization per partition, all
# with the same metadata: one partition's are enough. A data test has one check evaluation.
DBT_NODE_EVENTS = """
    select step_key, event from event_logs
    where run_id = %(run_id)s and step_key like 'dbt%%'
      and (dagster_event_type = 'ASSET_CHECK_EVALUATION'
           or dagster_event_type = 'ASSET_MATERIALIZATION'
              and partition is not distinct from (
                  select min(partition) from event_logs
                  where run_id = %(run_id)s and dagster_event_type = 'ASSET_MATERIALIZATION'))
"""


def pipeline_profile(database_url: str, cerniq_stdout: str, wall_seconds: float) -> dict:
    """Seconds per Dagster step, per kind of dbt node and per dbt node (slowest first) of the
    runs `cerniq run` printed, and the rest of the command's wall time (process start, imports,
    loading the definitions)."""
    steps: dict[str, float] = {}
    dbt: dict[str, float] = {}
    nodes: dict[str, float] = {}
    in_runs = 0.0
    storage = with_database(database_url, storage_database(database_url))
    with psycopg.connect(storage) as conn:
        for run_id in RUN_ID.findall(cerniq_stdout):
            started: dict[str | None, object] = {}
            for step, event, moment in conn.execute(STEP_TIMES, (run_id,)).fetchall():
                if event.endswith("_START"):
                    started[step] = moment
                elif step in started:
                    seconds = (moment - started.pop(step)).total_seconds()
                    if step is None:
                        in_runs += seconds
                    else:
                        steps[step] = round(steps.get(step, 0.0) + seconds, 2)
            for (step, unique_id), seconds in _dbt_node_seconds(conn, run_id).items():
                kind = f"{step} {unique_id.split('.')[0]}s"
                dbt[kind] = round(dbt.get(kind, 0.0) + seconds, 2)
                node = f"{step} {unique_id}"
                nodes[node] = round(nodes.get(node, 0.0) + seconds, 2)
    return {
        "steps": steps,
        "dbt": dbt,
        "dbt_nodes": dict(sorted(nodes.items(), key=lambda node: -node[1])),
        "outside_runs": round(wall_seconds - in_runs, 2),
    }


def _dbt_node_seconds(conn: psycopg.Connection, run_id: str) -> dict[tuple[str, str], float]:
    """Seconds per dbt step and node (model, test, seed) of a run."""
    seconds: dict[tuple[str, str], float] = {}
    for step, serialized in conn.execute(DBT_NODE_EVENTS, {"run_id": run_id}).fetchall():
        data = deserialize_value(serialized, EventLogEntry).dagster_event.event_specific_data
        metadata = getattr(data, "materialization", data).metadata
        if "unique_id" in metadata and "Execution Duration" in metadata:
            seconds[step, metadata["unique_id"].value] = metadata["Execution Duration"].value
    return seconds
