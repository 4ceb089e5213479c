"""The embedded server accepts only its owner (issue 15, item 9): its socket folder is 0700, and
socket and TCP connections authenticate with scram-sha-256 and the password kept in the data
folder (0600). Another OS user (`nobody`) gets in neither way; the project's URL does. A
cluster made with trust authentication is converted when it starts."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from dagster_cerniq.ops.embedded import (
    HBA_MARKER,
    SERVER_OS_USER,
    EmbeddedPostgres,
    find_server_bin,
)

RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching OS users needs root")


def the_test_server() -> EmbeddedPostgres:
    from dagster_cerniq.ops.embedded import REPO_ROOT
    from tests.conftest import TEST_PORT

    return EmbeddedPostgres(
        home=REPO_ROOT / ".cerniq" / "test", port=TEST_PORT, database="postgres", fast_unsafe=True
    )


def as_nobody(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RUNUSER, "-u", "nobody", "--", *command],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PGCONNECT_TIMEOUT": "5"},
        cwd="/",
        timeout=30,
    )


def psql(*args: str) -> list[str]:
    return [str(find_server_bin() / "psql"), "-w", "-X", "-At", *args, "-c", "select 1"]


@pytest.fixture
def embedded_test_server(admin_url: str) -> EmbeddedPostgres:
    if os.environ.get("CERNIQ_TEST_ADMIN_URL"):
        pytest.skip("the tests run on another server, not the embedded one")
    server = the_test_server()
    assert urlsplit(admin_url).port == server.port
    return server


def test_the_project_connects_with_the_generated_password(embedded_test_server) -> None:
    server = embedded_test_server
    password = server.password()
    assert password and len(password) >= 32
    assert f":{password}@" in server.url
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.socket_dir.stat().st_mode) == 0o700
    assert server.hba_file.read_text().startswith(HBA_MARKER)
    assert "trust" not in server.hba_file.read_text()
    with psycopg.connect(server.url) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    assert "***" in server.status() and password not in server.status()


def test_no_password_no_entry_over_tcp(embedded_test_server) -> None:
    server = embedded_test_server
    url = f"postgresql://{SERVER_OS_USER}@127.0.0.1:{server.port}/postgres"
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(url, connect_timeout=5, password="")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(url, connect_timeout=5, password="guess")


@as_root
def test_another_os_user_cannot_connect(embedded_test_server) -> None:
    server = embedded_test_server
    port = str(server.port)
    tcp = as_nobody(*psql("-h", "127.0.0.1", "-p", port, "-U", SERVER_OS_USER, "-d", "postgres"))
    assert tcp.returncode != 0
    assert "password" in tcp.stderr, tcp.stderr
    local = as_nobody(
        *psql("-h", str(server.socket_dir), "-p", port, "-U", SERVER_OS_USER, "-d", "postgres")
    )
    assert local.returncode != 0
    assert "Permission denied" in local.stderr or "password" in local.stderr, local.stderr
    # nor can it read the password
    assert as_nobody("cat", str(server.password_file)).returncode != 0
    # while the server's own OS user, with the password, gets in over the socket
    if os.geteuid() == 0:
        own = subprocess.run(
            [RUNUSER, "-u", SERVER_OS_USER, "--",
             *psql("-h", str(server.socket_dir), "-p", port, "-U", SERVER_OS_USER,
                   "-d", "postgres")],
            capture_output=True, text=True, check=False, cwd="/", timeout=30,
            env={"PATH": "/usr/bin:/bin", "PGPASSWORD": server.password()},
        )  # fmt: skip
        assert own.stdout.strip() == "1", own.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def legacy_trust_cluster(admin_url: str) -> Iterator[EmbeddedPostgres]:
    """A cluster made the old way (initdb --auth=trust), in a folder the server user reaches."""
    home = Path(tempfile.mkdtemp(prefix="cerniq-door-", dir="/tmp"))
    home.chmod(0o755)
    server = EmbeddedPostgres(home=home, port=free_port(), database="cerniq", fast_unsafe=True)
    server._prepare_folders()
    server._run(
        find_server_bin() / "initdb",
        "-D", server.data_dir, "-U", SERVER_OS_USER, "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8",
    )  # fmt: skip
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_a_trust_cluster_is_converted_when_it_starts(
    legacy_trust_cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = legacy_trust_cluster
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-not-for-the-server")
    assert server.password() is None
    assert "trust" in server.hba_file.read_text()
    url = server.start()
    password = server.password()
    assert password and f":{password}@" in url
    assert server.hba_file.read_text().startswith(HBA_MARKER)
    assert stat.S_IMODE(server.password_file.stat().st_mode) == 0o600
    with psycopg.connect(url) as conn:
        assert conn.execute("select current_database()").fetchone() == ("cerniq",)
    # the server's processes never see the project's secrets (item 10)
    postmaster = (server.data_dir / "postmaster.pid").read_text().split()[0]
    environ = Path(f"/proc/{postmaster}/environ").read_bytes()
    assert b"PATH=" in environ and b"sk-ant" not in environ
    bare = f"postgresql://{SERVER_OS_USER}@127.0.0.1:{server.port}/cerniq"
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(bare, connect_timeout=5, password="")
    # a restart keeps the same password and the same door
    server.stop()
    assert server.start() == url
    with psycopg.connect(url) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
