"""`cerniq`: the command line of the nurturing analytics (SPEC §2).

Every failure the user can cause or fix prints one line `cerniq: error: …` and exits non-zero.
A run that succeeded degraded (a failed asset check: the sentiment API unreachable) prints
`cerniq: warning: …` and exits DEGRADED_EXIT.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path
from uuid import UUID

import click
import psycopg

from dagster_cerniq.lib.run_dates import refuse_future, today
from dagster_cerniq.ops import migrations
from dagster_cerniq.ops.database import configured_url, connect, database_url, first_line
from dagster_cerniq.ops.embedded import EmbeddedPostgres
from dagster_cerniq.ops.errors import CerniqError
from dagster_cerniq.ops.explain import client_explanation
from dagster_cerniq.ops.inventory import tenant_inventory

DEMO_SEED = 2026
DEMO_CLIENTS = 400
DEMO_WEEKS = 4
# A fixed id, so the demo finds its tenant again on the next run instead of adding another.
DEMO_TENANT_ID = UUID("5e0d3c1a-2026-4e05-9a11-000000000001")

# `cerniq run` succeeded, but a check failed: results are written, some work is left pending.
DEGRADED_EXIT = 3

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _as_of(value: dt.datetime | None) -> dt.date:
    return value.date() if value else today()


@click.group()
def cli() -> None:
    """Cerniq Etapa 5 nurturing analytics: lifecycle states, churn risk, HITL tasks."""


@cli.group()
def db() -> None:
    """The embedded local PostgreSQL + PostGIS server."""


@db.command("start")
def db_start() -> None:
    """Initialise (first time) and start the embedded server."""
    server = EmbeddedPostgres.default()
    server.start()
    click.echo(f"embedded PostgreSQL {server.status()}")
    if configured_url():
        click.echo("note: CERNIQ_DATABASE_URL is set, so other commands use that database")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded server."""
    stopped = EmbeddedPostgres.default().stop()
    click.echo("embedded PostgreSQL stopped" if stopped else "embedded PostgreSQL was not running")


@db.command("status")
def db_status() -> None:
    """Show the embedded server's state and which database commands use."""
    click.echo(f"embedded PostgreSQL: {EmbeddedPostgres.default().status()}")
    if configured_url():
        click.echo("commands use CERNIQ_DATABASE_URL instead of the embedded server")


@cli.command()
def migrate() -> None:
    """Apply pending migrations (a no-op when none is pending)."""
    applied = migrations.apply_pending(database_url())
    if applied:
        for migration_id in applied:
            click.echo(f"applied {migration_id}")
    else:
        click.echo("nothing to apply: the schema is up to date")


@cli.command()
@click.option("--all", "roll_all", is_flag=True, help="Roll back every applied migration.")
@click.option("--steps", type=int, help="Roll back the newest N applied migrations.")
def rollback(roll_all: bool, steps: int | None) -> None:
    """Roll back applied migrations: --all, or --steps N."""
    if roll_all == (steps is not None):
        raise click.UsageError("give exactly one of --all or --steps N")
    rolled = migrations.roll_back(database_url(), None if roll_all else steps)
    for migration_id in rolled:
        click.echo(f"rolled back {migration_id}")
    if not rolled:
        click.echo("nothing to roll back")


@cli.command()
@click.option("--tenants", type=click.IntRange(min=0), required=True, help="Tenants to create.")
@click.option(
    "--clients-per-tenant", type=click.IntRange(min=0), required=True, help="Clients per tenant."
)
@click.option("--seed", type=int, required=True, help="Random seed: same seed, same data.")
@click.option("--as-of", type=ISO_DATE, help="Last day of the history (default: today).")
@click.option(
    "--tenant-id",
    "tenant_ids",
    type=click.UUID,
    multiple=True,
    help="Use these tenant ids (one per tenant) instead of ids derived from the seed.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def generate(
    tenants: int,
    clients_per_tenant: int,
    seed: int,
    as_of: dt.datetime | None,
    tenant_ids: tuple[UUID, ...],
    quiet: bool,
) -> None:
    """Fill the contract tables with synthetic Romanian agricultural B2B data."""
    from dagster_cerniq.synthetic import generate as generate_data

    if tenant_ids and len(tenant_ids) != tenants:
        raise click.UsageError(f"--tenant-id given {len(tenant_ids)} times for {tenants} tenants")
    summary = generate_data(
        database_url(),
        tenants=tenants,
        clients_per_tenant=clients_per_tenant,
        seed=seed,
        as_of=_as_of(as_of),
        progress=not quiet,
        tenant_ids=list(tenant_ids) or None,
    )
    total = sum(summary.rows.values())
    click.echo(f"generated {total:,} rows in {summary.seconds:.1f} s")
    for table, rows in summary.rows.items():
        click.echo(f"  {table}: {rows:,}")
    for tenant_id in summary.tenant_ids[:10]:
        click.echo(f"  tenant {tenant_id}")


@cli.command()
@click.option("--tenant", "tenant_ids", type=click.UUID, multiple=True, help="Tenant UUID.")
@click.option("--all-tenants", is_flag=True, help="Every tenant.")
@click.option("--as-of", type=ISO_DATE, help="As-of date of the run (default: today).")
@click.option(
    "--replay",
    is_flag=True,
    help=(
        "Allow an as-of date before the tenants' latest evaluation: the run rewrites their "
        "states, signals, scores, tasks and follow-ups as of that date (run tag "
        "cerniq/replay=true). A date after today is refused even so."
    ),
)
def run(
    tenant_ids: tuple[UUID, ...], all_tenants: bool, as_of: dt.datetime | None, replay: bool
) -> None:
    """Materialize the whole asset graph for these tenants, as of a date.

    The date may not be after today (Europe/Bucharest), nor before the date the tenants were
    last evaluated as of, unless --replay. Progress goes to stderr; each run's full log to
    the file a failure names (and to the Dagster UI).
    """
    from dagster_cerniq.ops.pipeline import run_pipeline

    if all_tenants == bool(tenant_ids):
        raise click.UsageError("give --tenant UUID (one or more) or --all-tenants")
    runs = run_pipeline(
        database_url(),
        None if all_tenants else list(tenant_ids),
        _as_of(as_of),
        replay=replay,
        say=lambda line: click.echo(line, err=True),
    )
    for pipeline_run in runs:
        if pipeline_run.success:
            click.echo(f"run {pipeline_run.run_id} succeeded: {pipeline_run.tenants} tenant(s)")
    failed = [pipeline_run for pipeline_run in runs if not pipeline_run.success]
    if failed:
        more = f" ({len(failed) - 1} more run(s) failed)" if len(failed) > 1 else ""
        raise CerniqError(f"{failed[0].error}{more}")
    warnings = [(r, line) for r in runs for line in r.warnings]
    for pipeline_run, line in warnings:
        click.echo(f"cerniq: warning: run {pipeline_run.run_id}: {line}", err=True)
    if warnings:
        sys.exit(DEGRADED_EXIT)


@cli.command()
@click.option("--tenant", "tenant_id", type=click.UUID, required=True, help="Tenant UUID.")
@click.option("--from", "start", type=ISO_DATE, help="First as-of date to replay.")
@click.option("--to", "end", type=ISO_DATE, help="Last one (default: today - horizon).")
@click.option("--every", type=click.IntRange(1), help="Days between replayed dates (30).")
@click.option("--horizon", type=click.IntRange(1), help="Churn horizon H in days (180).")
@click.option(
    "--what-if",
    "what_if",
    multiple=True,
    metavar="NAME=VALUE",
    help="Replay also with this dbt var changed (repeatable), shown beside the current one.",
)
def backtest(
    tenant_id: UUID,
    start: dt.datetime | None,
    end: dt.datetime | None,
    every: int | None,
    horizon: int | None,
    what_if: tuple[str, ...],
) -> None:
    """How well the seed score, its bands and the prediction foresaw churn: replays past
    as-of dates in a scratch database (nothing live is touched), then writes a CSV table, a
    JSON of the figures and a PNG (ROC, reliability, top-k precision)."""
    from dagster_cerniq.defs.dbt.project import what_if_vars
    from dagster_cerniq.lib.reports import report_dir
    from dagster_cerniq.ops.backtest import plan_backtest, run_backtest

    plan = plan_backtest(
        tenant_id,
        start.date() if start else None,
        end.date() if end else None,
        every,
        horizon,
        what_if_vars(what_if),
    )
    click.echo(
        f"backtest of tenant {tenant_id}: {len(plan.dates)} date(s) from "
        f"{plan.dates[0].isoformat()} to {plan.dates[-1].isoformat()}, churn over "
        f"{plan.horizon_days} days",
        err=True,
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = report_dir("backtest", f"{tenant_id}-{stamp}")
    report = run_backtest(database_url(), plan, folder, say=lambda line: click.echo(line, err=True))
    for line in report.headline():
        click.echo(line)
    click.echo(f"table: {report.table}")
    click.echo(f"figures: {report.figures_json}")
    click.echo(f"picture: {report.picture}")


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=3000, help="Port of the UI.")
def ui(port: int) -> None:
    """Serve the Dagster UI (and its daemon: sensors, schedules) over this database."""
    import os
    from pathlib import Path

    from dagster_cerniq.defs.dbt.project import ensure_manifest
    from dagster_cerniq.ops.embedded import REPO_ROOT
    from dagster_cerniq.ops.instance import configure_instance_environment

    ensure_manifest()
    configure_instance_environment(database_url())
    bin_dir = Path(sys.executable).parent
    # dagster dev and dagster-dbt look for `dagster` and `dbt` on PATH.
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    os.chdir(REPO_ROOT)
    click.echo(f"Dagster UI at http://127.0.0.1:{port}")
    os.execv(
        str(bin_dir / "dagster"),
        ["dagster", "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
    )


@cli.command()
@click.option("--tenant", "tenant_id", type=click.UUID, required=True, help="Tenant UUID.")
@click.option("--as-of", type=ISO_DATE, help="Reference date (default: today).")
def show(tenant_id: UUID, as_of: dt.datetime | None) -> None:
    """Print what a tenant's data holds."""
    with connect(database_url()) as conn:
        for line in tenant_inventory(conn, tenant_id, _as_of(as_of)):
            click.echo(line)


@cli.command()
@click.option("--client", "client_id", type=click.UUID, required=True, help="Client UUID.")
@click.option(
    "--from",
    "from_date",
    type=ISO_DATE,
    help="The earlier evaluation to compare (default: the one before --to).",
)
@click.option("--to", "to_date", type=ISO_DATE, help="The later evaluation (default: the latest).")
def explain(client_id: UUID, from_date: dt.datetime | None, to_date: dt.datetime | None) -> None:
    """Explain a client's churn score: its trend, and which factors moved it between two
    evaluations and by how much, with their evidence."""
    with connect(database_url()) as conn:
        lines = client_explanation(
            conn,
            client_id,
            from_date.date() if from_date else None,
            to_date.date() if to_date else None,
        )
    for line in lines:
        click.echo(line)


@cli.command()
@click.option("--as-of", type=ISO_DATE, help="Last as-of date of the demo (default: today).")
def demo(as_of: dt.datetime | None) -> None:
    """The embedded default end to end: database, migrations, a demo tenant, the pipeline
    replayed over its last weeks, and what it found."""
    from dagster_cerniq.ops.pipeline import run_pipeline
    from dagster_cerniq.ops.report import pipeline_report
    from dagster_cerniq.synthetic import generate as generate_data

    if configured_url() is None:
        EmbeddedPostgres.default().start()
    url = database_url()
    migrations.apply_pending(url)
    day = _as_of(as_of)
    refuse_future(day)
    with connect(url) as conn:
        exists = conn.execute("select 1 from tenants where id = %s", (DEMO_TENANT_ID,)).fetchone()
    if not exists:
        generate_data(
            url,
            tenants=1,
            clients_per_tenant=DEMO_CLIENTS,
            seed=DEMO_SEED,
            as_of=day,
            tenant_ids=[DEMO_TENANT_ID],
        )
    with connect(url) as conn:
        for line in tenant_inventory(conn, DEMO_TENANT_ID, day):
            click.echo(line)
    # One run a week over the last weeks: states are created, then evaluated one step a run.
    # Oldest first, so each date follows the one before; a second demo replays them.
    first_day = day - dt.timedelta(weeks=DEMO_WEEKS - 1)
    replay = _evaluated_after(url, first_day)
    for weeks_back in range(DEMO_WEEKS - 1, -1, -1):
        run_day = day - dt.timedelta(weeks=weeks_back)
        say = (lambda line: click.echo(line, err=True)) if weeks_back == DEMO_WEEKS - 1 else None
        runs = run_pipeline(url, [DEMO_TENANT_ID], run_day, replay=replay, say=say or _quiet)
        failed = [r for r in runs if not r.success]
        click.echo(f"pipeline run as of {run_day.isoformat()}: {'FAILED' if failed else 'ok'}")
        for line in (line for r in runs for line in r.warnings):
            click.echo(f"cerniq: warning: {line}", err=True)
        if failed:
            raise CerniqError(f"the demo {failed[0].error}")
    click.echo("")
    with connect(url) as conn:
        for line in pipeline_report(conn, DEMO_TENANT_ID):
            click.echo(line)
    _demo_geography(url, day)
    _demo_backtest(url, day)


def _demo_geography(url: str, day: dt.date) -> None:
    """The demo tenant's geography in lines, and its map (PNG) among the reports."""
    from dagster_cerniq.defs.geography.map import geography_map
    from dagster_cerniq.lib.reports import report_dir
    from dagster_cerniq.ops.report import geography_report

    picture = report_dir("geography") / f"demo-{day.isoformat()}.png"
    with connect(url) as conn:
        click.echo("")
        for line in geography_report(conn, DEMO_TENANT_ID):
            click.echo(line)
        title = f"Demo tenant: clusters, advocates and neighbours as of {day.isoformat()}"
        picture.write_bytes(geography_map(conn, DEMO_TENANT_ID, title))
    click.echo(f"  map: {picture}")


def _demo_backtest(url: str, day: dt.date) -> None:
    """The backtest's headline: how the seed score and the prediction foresaw churn."""
    from dagster_cerniq.lib.reports import report_dir
    from dagster_cerniq.ops.backtest import plan_backtest, run_backtest

    plan = plan_backtest(DEMO_TENANT_ID, now=day)
    click.echo("")
    click.echo(
        f"backtest ({len(plan.dates)} past dates from {plan.dates[0].isoformat()}, churn over "
        f"{plan.horizon_days} days; replayed in a scratch database):"
    )
    report = run_backtest(url, plan, report_dir("backtest", f"demo-{day.isoformat()}"))
    for line in report.headline():
        click.echo(f"  {line}")
    click.echo(f"  picture: {report.picture}")


def _quiet(_line: str) -> None:
    pass


def _evaluated_after(url: str, day: dt.date) -> bool:
    """Whether the demo tenant was evaluated as of a date after `day` (a demo ran before)."""
    from dagster_cerniq.lib.run_dates import latest_evaluation
    from dagster_cerniq.ops.instance import cerniq_instance

    instance = cerniq_instance(url)
    return latest_evaluation(instance, [str(DEMO_TENANT_ID)], day) is not None


def main() -> None:
    # Libraries' warnings (dagster-postgres' connection retries …) go to a file, not the
    # terminal: without a handler Python would print them on stderr.
    try:
        handler: logging.Handler = logging.FileHandler(_log_file("cerniq.log"), delay=True)
    except (CerniqError, OSError):
        handler = logging.NullHandler()
    logging.basicConfig(
        level=logging.WARNING,
        handlers=[handler],
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        code = cli.main(standalone_mode=False, prog_name="cerniq")
    except click.exceptions.Abort:
        _fail("aborted", 130)
    except click.UsageError as exc:
        _fail(exc.format_message(), exc.exit_code)
    except (CerniqError, ValueError) as exc:
        _fail(str(exc))
    except psycopg.Error as exc:
        _fail(f"database error: {first_line(exc)}")
    except Exception as exc:  # one line, the traceback in a file
        origin = type(exc).__module__.split(".")[0]
        what = type(exc).__name__
        if origin in ("sqlalchemy", "psycopg2", "dagster_postgres"):
            what = "lost the database (Dagster's storage)"
        _fail(f"{what}: {first_line(exc)} (traceback: {_save_traceback()})")
    sys.exit(code if isinstance(code, int) else 0)


def _save_traceback() -> str:
    import traceback

    path = _log_file(f"error-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}.log")
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return str(path)


def _log_file(name: str) -> Path:
    """A file in the log folder (CERNIQ_LOG_DIR, default <embedded home>/logs, 0700)."""
    configured = os.environ.get("CERNIQ_LOG_DIR", "").strip()
    folder = Path(configured) if configured else EmbeddedPostgres.default().home / "logs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / name


def _fail(message: str, exit_code: int = 1) -> None:
    click.echo(f"cerniq: error: {message}", err=True)
    sys.exit(exit_code)
