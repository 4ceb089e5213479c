"""Where a pipeline run's time goes: the Dagster steps (from the run's event log in the
`<database>_dagster` storage) and, inside the dbt steps, models, data tests and seeds (from the
run_results.json each dbt invocation leaves in the project's target folder)."""

import json
import re

import psycopg

from benchmarks.baseline.params import DBT_PROJECT_DIR
from dagster_cerniq.database import with_database
from dagster_cerniq.instance import storage_database

RUN_ID = re.compile(r"^run ([0-9a-f-]{36}) ", re.MULTILINE)

STEP_TIMES = """
    select step_key, dagster_event_type, timestamp from event_logs
    where run_id = %s and dagster_event_type in
        ('PIPELINE_START', 'PIPELINE_SUCCESS', 'STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE')
    order by timestamp
"""


def pipeline_profile(database_url: str, cerniq_stdout: str, wall_seconds: float) -> dict:
    """Seconds per Dagster step and per kind of dbt node of the runs `cerniq run` printed, and
    the rest of the command's wall time (process start, imports, loading the definitions)."""
    steps: dict[str, float] = {}
    dbt: dict[str, float] = {}
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
            for kind, seconds in _dbt_node_seconds(run_id).items():
                dbt[kind] = round(dbt.get(kind, 0.0) + seconds, 2)
    return {
        "steps": steps,
        "dbt": dbt,
        "outside_runs": round(wall_seconds - in_runs, 2),
    }


def _dbt_node_seconds(run_id: str) -> dict[str, float]:
    """dagster-dbt names each invocation's target folder `<step>-<run id[:7]>-<suffix>`."""
    totals: dict[str, float] = {}
    for results in (DBT_PROJECT_DIR / "target").glob(f"*-{run_id[:7]}-*/run_results.json"):
        content = json.loads(results.read_text(encoding="utf-8"))
        step = results.parent.name.split("-")[0]
        totals[f"{step} (dbt elapsed)"] = content["elapsed_time"]
        for node in content["results"]:
            kind = f"{step} {node['unique_id'].split('.')[0]}s"
            totals[kind] = totals.get(kind, 0.0) + node["execution_time"]
    return totals
