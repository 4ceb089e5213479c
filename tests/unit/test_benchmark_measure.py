"""The benchmark's process measurements, on real child processes."""

import sys
import textwrap

from benchmarks import measure, report
from benchmarks.run import TENANT_SPLITS, RunRecord, SplitResult

# Stands in for dbt: like dbt's multiprocessing resource tracker, it forks a child that keeps
# the parent's command line for a while (there, until its exec).
FORKING_DBT = textwrap.dedent(
    f"""\
    #!{sys.executable}
    import os, time
    child = os.fork()
    if child == 0:
        time.sleep(0.5)
        os._exit(0)
    os.waitpid(child, 0)
    """
)


def test_a_dbt_process_and_its_forked_child_are_one_invocation(tmp_path) -> None:
    dbt = tmp_path / "dbt"
    dbt.write_text(FORKING_DBT)
    dbt.chmod(0o755)
    build = f"subprocess.run([{str(dbt)!r}, 'build'], check=True)"
    calls = f"import subprocess; {build}; {build}"

    measured = measure.run_measured([sys.executable, "-c", calls])

    assert measured.dbt_invocations == {"build": 2}


def test_a_server_memory_never_measured_is_reported_missing_not_zero() -> None:
    records = [
        RunRecord("pipeline", "2026-10-24", "cold", 40.0, 100, None, 500.0, None),
        RunRecord("pipeline", "2026-10-31", "incremental", 41.0, 101, 1, 510.0, None),
        RunRecord("floor", "2026-10-31", "pass", 1.0, 101, None, None, None),
    ]
    splits = [SplitResult(scale, 100, records) for scale in TENANT_SPLITS]

    lines = report.split_report(splits).splitlines()
    first_split = next(line for line in lines if line.startswith(TENANT_SPLITS[0].name))

    assert first_split.split()[5:7] == ["510.0", "-"]
