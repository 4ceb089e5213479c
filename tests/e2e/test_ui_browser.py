"""The Dagster UI in a real browser (issue 13): `cerniq ui` serves it over a generated database,
and the Debian Chromium, driven by Playwright, finds the domain groups on the global asset graph
and launches a run of `nurturing_evaluation` for one tenant from the Launchpad, which must
succeed.

Screenshots: tests/e2e/screenshots/asset_graph.png and run_succeeded.png (printed with -s).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import yaml
from playwright.sync_api import Browser, Page, expect, sync_playwright

from dagster_cerniq.lib.run_dates import AS_OF_TAG
from dagster_cerniq.ops.embedded import REPO_ROOT
from tests.conftest import GENERATED_AS_OF, generated

CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container: no sandbox, no GPU, and nothing that calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium); "
        "Playwright's own browser download is blocked here",
    ),
]

SCREENSHOTS = Path(__file__).parent / "screenshots"
JOB = "nurturing_evaluation"
# The folders under dagster_cerniq/defs and dbt_project/models that must read as groups.
DOMAIN_GROUPS = {
    "churn",
    "lifecycle",
    "feedback",
    "referrals",
    "hitl",
    "sentiment",
    "staging",
    "parameters",
}

# Generous for two busy cores, but bounded: a hang fails with the server's log, not a CI timeout.
SERVER_START_SECONDS = 240
UI_ACTION_MS = 60_000
RUN_SECONDS = 8 * 60
TERMINAL_RUN_STATUSES = {"SUCCESS", "FAILURE", "CANCELED"}
LOG_TAIL_LINES = 60


@dataclass(frozen=True)
class ServedUI:
    base_url: str
    database_url: str
    tenant_id: str
    location: str
    log: Path

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        return graphql(self.base_url, query, variables)

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        return log_tail(self.log, lines)


# ---------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ui(admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedUI]:
    """`cerniq ui` on a free port over one generated tenant (40 clients), automation paused."""
    log = tmp_path_factory.mktemp("cerniq-ui") / "cerniq-ui.log"
    with generated(admin_url, tenants=1, clients_per_tenant=40) as (url, (tenant,)):
        location = prepare_instance(url, str(tenant))
        port = free_port()
        with serve_ui(url, port, log):
            served = ServedUI(f"http://127.0.0.1:{port}", url, str(tenant), location, log)
            wait_until_loaded(served)
            yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    # Dagster greets a new browser with a "Join the Dagster community" dialog over the page:
    # mark it seen, and should that key ever change, dismiss the dialog whenever it shows.
    context.add_init_script("window.localStorage.setItem('communityNux', JSON.stringify('1'))")
    page = context.new_page()
    page.set_default_timeout(UI_ACTION_MS)
    page.set_default_navigation_timeout(UI_ACTION_MS)
    nux = page.get_by_role("dialog").filter(has_text="Join the Dagster community")
    page.add_locator_handler(nux, lambda: nux.get_by_role("button", name="Skip").click())
    try:
        yield page
    finally:
        context.close()


# ------------------------------------------------------------------------------------- tests


def test_asset_graph_shows_the_domain_groups(ui: ServedUI, page: Page) -> None:
    page.goto(f"{ui.base_url}/asset-groups")  # Lineage: the global asset graph
    # The graph is an SVG canvas; its nodes (here one per group, collapsed) are foreignObjects.
    # The sidebar lists the groups too, so only text inside the canvas counts.
    canvas = page.locator("svg").filter(has=page.locator("foreignObject"))
    expect(canvas.first).to_be_visible()
    # Every group that holds assets one can materialize, as the API reports them: a new domain
    # folder is checked without an edit here. ("default" keeps only the source tables, which
    # the lineage view leaves out.)
    nodes = ui.graphql("{ assetNodes { groupName isMaterializable } }")["assetNodes"]
    reported = {node["groupName"] for node in nodes if node["isMaterializable"]}
    assert reported >= DOMAIN_GROUPS, f"groups not defined: {sorted(DOMAIN_GROUPS - reported)}"
    missing = []
    for group in sorted(reported):
        try:
            expect(canvas.get_by_text(group, exact=True).first).to_be_visible(timeout=15_000)
        except AssertionError:
            missing.append(group)
    page.wait_for_timeout(1_000)  # let the edges finish drawing before the picture
    shot = screenshot(page, "asset_graph.png")
    shown = canvas.locator("foreignObject").all_inner_texts()
    assert not missing, (
        f"the asset graph at {page.url} does not show the groups {missing}; "
        f"its nodes read {sorted({t.strip() for t in shown})} (screenshot: {shot})"
    )


def test_run_launched_from_the_launchpad_succeeds(ui: ServedUI, page: Page) -> None:
    run_id = launch_from_launchpad(page, ui)
    status, run = wait_for_run(ui, run_id)
    run_url = f"{ui.base_url}/runs/{run_id}"
    assert status == "SUCCESS", (
        f"run {run_id} ended {status} (or not at all within {RUN_SECONDS} s): "
        f"{failure_messages(ui, run_id) or 'no error events'}\n"
        f"run page: {run_url}\nserver log tail ({ui.log}):\n{ui.log_tail()}"
    )
    tags = {tag["key"]: tag["value"] for tag in run["tags"]}
    # The partition and the tag chosen in the browser reached the run, and the UI launched it.
    assert tags.get("dagster/partition") == ui.tenant_id, tags
    assert tags.get(AS_OF_TAG) == GENERATED_AS_OF.isoformat(), tags
    assert tags.get("dagster/from_ui") == "true", tags
    with psycopg.connect(ui.database_url) as conn:
        states = conn.execute(
            "select count(*) from gold_nurturing_state where tenant_id = %s", (ui.tenant_id,)
        ).fetchone()[0]
    assert states > 0, "the run succeeded but wrote no lifecycle state for the tenant"

    page.goto(run_url)
    expect(page.get_by_text("Success", exact=True).first).to_be_visible()
    page.wait_for_timeout(1_000)
    screenshot(page, "run_succeeded.png")


# ---------------------------------------------------------------------------- the browser side


def launch_from_launchpad(page: Page, ui: ServedUI) -> str:
    """Jobs → nurturing_evaluation → Open launchpad; pick the tenant's partition, add the as-of
    tag, Materialize. Returns the run id from the run page the UI opens."""
    page.goto(f"{ui.base_url}/jobs")
    # By its address: the UI breaks long names with zero-width spaces, so not by its text.
    page.locator(f'a[href$="/jobs/{JOB}"]').first.click()
    page.wait_for_url(f"**/jobs/{JOB}")
    # An asset job has no Launchpad tab: the launchpad is in the menu beside "Materialize all…".
    materialize_all = page.get_by_role("button", name="Materialize all…")
    expect(materialize_all).to_be_visible()
    split_button = materialize_all.locator("xpath=ancestor::div[1]")
    split_button.get_by_role("button", name="arrow_drop_down").click()
    page.get_by_role("menuitem", name="Open launchpad").click()
    launchpad = page.get_by_role("dialog").filter(has_text="Launchpad (configure assets)")
    expect(launchpad).to_be_visible()

    partition = launchpad.get_by_placeholder("Partition")
    partition.fill(ui.tenant_id)
    page.get_by_role("menuitem", name=ui.tenant_id, exact=True).click()
    expect(launchpad.get_by_text(f"partition: {ui.tenant_id}")).to_be_visible()

    # Replay the generated data's day, as README's "run by hand" says: the cerniq/as_of tag.
    launchpad.get_by_role("button", name="Edit tags").click()
    tags = page.get_by_role("dialog").filter(has_text="Add tags to run")
    tags.get_by_role("button", name="Add custom tag").click()
    tags.get_by_placeholder("Tag Key").last.fill(AS_OF_TAG)
    tags.get_by_placeholder("Tag Value").last.fill(GENERATED_AS_OF.isoformat())
    tags.get_by_role("button", name="Apply").click()
    expect(tags).to_be_hidden()
    expect(launchpad.get_by_text(f"{AS_OF_TAG}: {GENERATED_AS_OF.isoformat()}")).to_be_visible()
    expect(launchpad.get_by_text("No errors")).to_be_visible()

    # Its accessible name starts with its icon's ("open_in_new Materialize").
    launchpad.get_by_role("button", name=re.compile(r"(^|\s)Materialize$")).click()
    page.wait_for_url("**/runs/*")
    return page.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.mouse.move(0, 0)  # no tooltip of whatever the last click left the pointer on
    page.screenshot(path=str(path), full_page=True)
    print(f"\nscreenshot: {path}")
    return path


# ------------------------------------------------------------------------------ the server side


def cerniq_command() -> list[str]:
    """`cerniq` as pyproject.toml declares it, run by this interpreter: the code of
    `.venv/bin/cerniq`, without depending on that script being regenerated since the CLI last
    moved (an editable install keeps the entry point it was installed with).

    SIGINT back to its default first: started from a background job of a script, the test
    inherits it ignored, and `dagster dev` stops its webserver and daemon with SIGINT.
    """
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = project["project"]["scripts"]["cerniq"].split(":")
    code = (
        "import signal; signal.signal(signal.SIGINT, signal.SIG_DFL); "
        f"from {module} import {function}; {function}()"
    )
    return [sys.executable, "-c", code]


def prepare_instance(database_url: str, tenant_id: str) -> str:
    """The tenant's partition, and every sensor and schedule stopped; returns the code
    location's name.

    The partition sync sensor would add the partition only at a daemon tick. The events sensor
    would start its own run for the tenant at the daemon's first tick (every generated order is
    new to it), alongside the one under test, and the HITL clock fires every quarter hour: the
    run launched from the browser is to be the only one. The daemon finds a stopped state by
    its selector (location, repository, name), so storing one before the server starts is
    enough; the test checks through the API that the UI sees them stopped.
    """
    from dagster._core.definitions.repository_definition.valid_definitions import (
        SINGLETON_REPOSITORY_NAME,
    )
    from dagster._core.remote_origin import (
        RegisteredCodeLocationOrigin,
        RemoteInstigatorOrigin,
        RemoteRepositoryOrigin,
    )
    from dagster._core.scheduler.instigation import (
        InstigatorState,
        InstigatorStatus,
        InstigatorType,
        ScheduleInstigatorData,
        SensorInstigatorData,
    )

    from dagster_cerniq.defs.automation.partitions import tenant_partitions
    from dagster_cerniq.defs.dbt.project import ensure_manifest
    from dagster_cerniq.ops.instance import cerniq_instance

    ensure_manifest()  # the definitions read the dbt manifest at import
    from dagster_cerniq.definitions import defs

    workspace = yaml.safe_load((REPO_ROOT / "workspace.yaml").read_text(encoding="utf-8"))
    (entry,) = workspace["load_from"]
    location = entry["python_module"].get("location_name") or entry["python_module"]["module_name"]
    repository = RemoteRepositoryOrigin(
        RegisteredCodeLocationOrigin(location), SINGLETON_REPOSITORY_NAME
    )
    with preserved_environ(), cerniq_instance(database_url) as instance:
        instance.add_dynamic_partitions(tenant_partitions.name, [tenant_id])
        for sensor in defs.sensors or []:
            instance.add_instigator_state(
                InstigatorState(
                    RemoteInstigatorOrigin(repository, sensor.name),
                    InstigatorType.SENSOR,
                    InstigatorStatus.STOPPED,
                    SensorInstigatorData(
                        min_interval=sensor.minimum_interval_seconds,
                        sensor_type=sensor.sensor_type,
                    ),
                )
            )
        for schedule in defs.schedules or []:
            instance.add_instigator_state(
                InstigatorState(
                    RemoteInstigatorOrigin(repository, schedule.name),
                    InstigatorType.SCHEDULE,
                    InstigatorStatus.STOPPED,
                    ScheduleInstigatorData(schedule.cron_schedule),
                )
            )
    return location


@contextmanager
def preserved_environ() -> Iterator[None]:
    """cerniq_instance points DAGSTER_HOME and the storage variables at the test database:
    keep them out of the rest of the session."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_ui(database_url: str, port: int, log: Path) -> Iterator[subprocess.Popen]:
    """`cerniq ui --port PORT` in a session of its own, so SIGTERM reaches `dagster dev`, its
    webserver, daemon, code servers and runs together; always stopped on exit."""
    env = {**os.environ, "CERNIQ_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*cerniq_command(), "ui", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield server
        finally:
            stop_process_group(server)


def stop_process_group(server: subprocess.Popen, grace_seconds: float = 60) -> None:
    pgid = server.pid  # the session leader: its pid is the group's id
    send_signal(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while group_alive(pgid) and time.monotonic() < deadline:
        server.poll()  # reap dagster dev itself once it exits
        time.sleep(0.5)
    if group_alive(pgid):
        print(f"\ncerniq ui (process group {pgid}) ignored SIGTERM for {grace_seconds} s: SIGKILL")
        send_signal(pgid, signal.SIGKILL)
        time.sleep(1)
    server.wait(timeout=30)


def send_signal(pgid: int, signum: signal.Signals) -> None:
    with suppress(ProcessLookupError):  # the group has ended already
        os.killpg(pgid, signum)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def graphql(base_url: str, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{base_url}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    if body.get("errors"):
        raise AssertionError(f"GraphQL errors: {body['errors']}")
    return body["data"]


WORKSPACE_QUERY = """{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}"""

AUTOMATION_QUERY = """{
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        sensors { name sensorState { status } }
        schedules { name scheduleState { status } }
      }
    }
  }
}"""


def wait_until_loaded(ui: ServedUI) -> None:
    """Until the webserver answers and the code location has loaded; then check automation is
    paused. Fails with the server's log tail."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    state = "no answer"
    while time.monotonic() < deadline:
        try:
            workspace = ui.graphql(WORKSPACE_QUERY)["workspaceOrError"]
        except (urllib.error.URLError, ConnectionError, TimeoutError, AssertionError) as exc:
            state = f"no answer ({exc})"
        else:
            entries = {e["name"]: e for e in workspace.get("locationEntries", [])}
            entry = entries.get(ui.location)
            if entry and entry["loadStatus"] == "LOADED":
                error = entry["locationOrLoadError"] or {}
                if error.get("__typename") == "PythonError":
                    pytest.fail(
                        f"code location {ui.location} failed to load: {error['message']}\n"
                        f"server log tail ({ui.log}):\n{ui.log_tail()}"
                    )
                break
            state = f"locations {sorted(entries)}, {ui.location}: " + (
                entry["loadStatus"] if entry else "absent"
            )
        time.sleep(1)
    else:
        pytest.fail(
            f"cerniq ui at {ui.base_url} not ready after {SERVER_START_SECONDS} s ({state})\n"
            f"server log tail ({ui.log}):\n{ui.log_tail()}"
        )
    running = [
        f"{kind} {item['name']}"
        for repo in ui.graphql(AUTOMATION_QUERY)["repositoriesOrError"]["nodes"]
        for kind, items, state_key in (
            ("sensor", repo["sensors"], "sensorState"),
            ("schedule", repo["schedules"], "scheduleState"),
        )
        for item in items
        if item[state_key]["status"] != "STOPPED"
    ]
    assert not running, f"automation could not be paused before the server started: {running}"


RUN_QUERY = """query Run($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { status tags { key value } }
  }
}"""

EVENTS_QUERY = """query Events($runId: ID!, $cursor: String) {
  runOrError(runId: $runId) {
    ... on Run {
      eventConnection(afterCursor: $cursor) {
        cursor
        hasMore
        events {
          __typename
          ... on MessageEvent { message }
          ... on StepEvent { stepKey }
          ... on ErrorEvent { error { message } }
        }
      }
    }
  }
}"""


def wait_for_run(ui: ServedUI, run_id: str) -> tuple[str, dict]:
    """Poll the run until it ends (or RUN_SECONDS pass): its last status and its record."""
    started = time.monotonic()
    reported = started
    status, run = "NOT FOUND", {}
    while time.monotonic() - started < RUN_SECONDS:
        run = ui.graphql(RUN_QUERY, {"runId": run_id})["runOrError"]
        status = run.get("status", run["__typename"])
        if status in TERMINAL_RUN_STATUSES:
            break
        if time.monotonic() - reported >= 60:
            print(f"\nrun {run_id}: {status} after {time.monotonic() - started:.0f} s")
            reported = time.monotonic()
        time.sleep(5)
    print(f"\nrun {run_id}: {status} after {time.monotonic() - started:.0f} s")
    return status, run


def failure_messages(ui: ServedUI, run_id: str) -> str:
    """The run's error events, one line each (step: message)."""
    messages: list[str] = []
    cursor = None
    while True:
        run = ui.graphql(EVENTS_QUERY, {"runId": run_id, "cursor": cursor})["runOrError"]
        connection = run.get("eventConnection")
        if not connection:
            break
        for event in connection["events"]:
            error = (event.get("error") or {}).get("message")
            if error or event["__typename"] in ("ExecutionStepFailureEvent", "RunFailureEvent"):
                step = event.get("stepKey") or "run"
                messages.append(f"{step}: {event.get('message', '')} {error or ''}".strip())
        if not connection["hasMore"]:
            break
        cursor = connection["cursor"]
    return "\n".join(messages)


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])
