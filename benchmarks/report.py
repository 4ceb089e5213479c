"""The benchmark's tables (printed) and its JSON, with the issue's targets marked met or not."""

from dataclasses import asdict, dataclass

from tabulate import tabulate

from benchmarks.run import RunRecord, ScaleResult, SplitResult

SPEEDUP_TARGET = 20.0  # pipeline at least this many times faster than the baseline (large)
FLOOR_TARGET = 5.0  # pipeline within this many times the floor
MEMORY_TARGET_MIB = 1024.0  # peak memory of the pipeline's processes
SPLIT_TARGET = 1.5  # 1,000 x 100 tenants at most this many times 10 x 10,000


@dataclass(frozen=True)
class Target:
    name: str
    value: float | None
    limit: float
    met: bool | None  # None: not measured here


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


def _dbt(record: RunRecord) -> str:
    if record.contender != "pipeline":
        return "-"
    return " + ".join(f"{count} {word}" for word, count in sorted(record.dbt_invocations.items()))


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _peak(*values: float | None) -> float | None:
    """The highest measured value; None (shown as "-") when none was measured."""
    measured = [value for value in values if value is not None]
    return max(measured) if measured else None


def runs_table(result: ScaleResult) -> str:
    rows = []
    for record in result.records:
        tenants = len(result.baseline_tenant_ids) if record.contender == "baseline" else None
        rows.append(
            [
                record.contender,
                record.kind,
                record.as_of,
                tenants or result.tenants,
                _number(record.seconds, 2),
                _number(record.extrapolated_seconds) if record.extrapolated_seconds else "",
                f"{record.input_rows:,}",
                f"{record.input_rows / record.seconds:,.0f}",
                "" if record.new_events is None else f"{record.new_events:,}",
                _number(record.peak_rss_mib),
                _number(record.peak_server_mib),
                _dbt(record),
            ]
        )
    headers = [
        "contender", "run", "as of", "tenants", "wall s", "wall s, all tenants (extrapolated)",
        "rows read", "rows/s", "new events", "peak MiB", "server peak MiB", "dbt invocations",
    ]  # fmt: skip
    return tabulate(rows, headers=headers, disable_numparse=True)


def scale_targets(result: ScaleResult) -> list[Target]:
    targets = []
    floor = result.record("floor", "pass")
    for kind in ("cold", "incremental"):
        pipeline = result.record("pipeline", kind)
        baseline = result.record("baseline", kind)
        speedup = _ratio(baseline.full_seconds, pipeline.seconds)
        targets.append(
            Target(
                f"{kind}: baseline / pipeline (speed-up) >= {SPEEDUP_TARGET:g}",
                speedup,
                SPEEDUP_TARGET,
                None if speedup is None else speedup >= SPEEDUP_TARGET,
            )
        )
        to_floor = _ratio(pipeline.seconds, floor.seconds)
        targets.append(
            Target(
                f"{kind}: pipeline / floor <= {FLOOR_TARGET:g}",
                to_floor,
                FLOOR_TARGET,
                None if to_floor is None else to_floor <= FLOOR_TARGET,
            )
        )
    peak = max(
        (r.peak_rss_mib for r in result.records if r.contender == "pipeline" and r.peak_rss_mib),
        default=None,
    )
    targets.append(
        Target(
            f"pipeline peak memory (MiB) < {MEMORY_TARGET_MIB:g}",
            peak,
            MEMORY_TARGET_MIB,
            None if peak is None else peak < MEMORY_TARGET_MIB,
        )
    )
    return targets


def split_targets(results: list[SplitResult]) -> list[Target]:
    few, many = results
    targets = []
    for kind in ("cold", "incremental"):
        ratio = _ratio(many.record("pipeline", kind).seconds, few.record("pipeline", kind).seconds)
        targets.append(
            Target(
                f"{kind}: {many.scale.name} / {few.scale.name} tenants <= {SPLIT_TARGET:g}",
                ratio,
                SPLIT_TARGET,
                None if ratio is None else ratio <= SPLIT_TARGET,
            )
        )
    peak = max(
        r.peak_rss_mib for result in results for r in result.records if r.peak_rss_mib is not None
    )
    targets.append(
        Target(
            f"pipeline peak memory (MiB) < {MEMORY_TARGET_MIB:g}",
            peak,
            MEMORY_TARGET_MIB,
            peak < MEMORY_TARGET_MIB,
        )
    )
    return targets


def targets_table(targets: list[Target]) -> str:
    rows = [
        [
            target.name,
            _number(target.value, 2),
            {True: "met", False: "MISSED", None: "not measured"}[target.met],
        ]
        for target in targets
    ]
    return tabulate(rows, headers=["target", "measured", "result"], disable_numparse=True)


def checks_table(result: ScaleResult) -> str:
    rows = [
        [
            check.name,
            "strict" if check.strict else "follow-up",
            f"{check.rows:,}",
            check.only_in_pipeline,
            check.only_in_baseline,
            "same" if check.matches else "DIFFERENT",
        ]
        for check in result.checks
    ]
    headers = ["check", "kind", "rows", "only in pipeline", "only in baseline", "result"]
    table = tabulate(rows, headers=headers, disable_numparse=True)
    examples = [f"  {check.name}: {line}" for check in result.checks for line in check.examples]
    return "\n".join([table, *examples])


def scale_report(result: ScaleResult) -> str:
    sample = ""
    if len(result.baseline_tenant_ids) < result.tenants:
        sample = (
            f"\nThe baseline ran on {len(result.baseline_tenant_ids)} of {result.tenants} tenants "
            f"({result.baseline_clients:,} of {result.clients:,} clients); its time for all "
            f"tenants is EXTRAPOLATED linearly (x {result.clients / result.baseline_clients:.1f}),"
            " and pipeline and baseline are compared on those tenants."
        )
    built = (
        f"data generated and messages analysed in {result.build_seconds:.0f} s"
        if result.build_seconds
        else "data copied from a dataset an earlier run built"
    )
    return "\n\n".join(
        [
            f"Scale {result.scale.name}: {result.tenants} tenants x "
            f"{result.scale.clients_per_tenant:,} clients, as-of dates "
            f"{', '.join(result.options['as_of_dates'])} ({built}).{sample}",
            runs_table(result),
            "Where the pipeline's time goes:\n" + profile_table(result.records),
            "Where pipeline and baseline end:\n" + checks_table(result),
            "Targets:\n" + targets_table(scale_targets(result)),
        ]
    )


def split_report(results: list[SplitResult]) -> str:
    rows = []
    for result in results:
        cold, incremental = (result.record("pipeline", kind) for kind in ("cold", "incremental"))
        rows.append(
            [
                result.scale.name,
                result.scale.tenants,
                result.scale.clients_per_tenant,
                _number(cold.seconds, 2),
                _number(incremental.seconds, 2),
                _number(_peak(cold.peak_rss_mib, incremental.peak_rss_mib)),
                _number(_peak(cold.peak_server_mib, incremental.peak_server_mib)),
                _dbt(incremental),
                _number(result.record("floor", "pass").seconds, 2),
            ]
        )
    headers = [
        "split", "tenants", "clients/tenant", "pipeline cold s", "pipeline incremental s",
        "peak MiB", "server peak MiB", "dbt invocations (per run)", "floor s",
    ]  # fmt: skip
    return "\n\n".join(
        [
            f"Tenant split: {results[0].clients:,} clients in few or many tenants.",
            tabulate(rows, headers=headers, disable_numparse=True),
            "Where the pipeline's time goes:\n"
            + "\n\n".join(profile_table(result.records) for result in results),
            "Targets:\n" + targets_table(split_targets(results)),
        ]
    )


def scale_json(result: ScaleResult) -> dict[str, object]:
    return {
        **result.as_json(),
        "targets": [asdict(target) for target in scale_targets(result)],
    }


def split_json(results: list[SplitResult]) -> dict[str, object]:
    return {
        "splits": [
            {
                "scale": asdict(result.scale),
                "clients": result.clients,
                "runs": [asdict(record) for record in result.records],
            }
            for result in results
        ],
        "targets": [asdict(target) for target in split_targets(results)],
    }


def profile_table(records: list[RunRecord]) -> str:
    """Seconds per part of each pipeline run: Dagster steps, dbt nodes by kind (summed over
    dbt's threads), and the command outside its Dagster runs (start-up, loading definitions)."""
    runs = [record for record in records if record.contender == "pipeline"]
    parts: list[tuple[str, str]] = []
    for record in runs:
        for section in ("steps", "dbt"):
            for name in record.profile.get(section, {}):
                if (section, name) not in parts:
                    parts.append((section, name))
    rows = [
        [f"{'step' if section == 'steps' else 'dbt'}: {name}"]
        + [_number(record.profile.get(section, {}).get(name), 2) for record in runs]
        for section, name in parts
    ]
    rows.append(
        ["cerniq outside its runs"] + [_number(r.profile.get("outside_runs"), 2) for r in runs]
    )
    rows.append(["wall"] + [_number(record.seconds, 2) for record in runs])
    headers = ["seconds"] + [f"{record.kind} {record.as_of}" for record in runs]
    return tabulate(rows, headers=headers, disable_numparse=True)
