"""The embedded local PostgreSQL + PostGIS server: one cluster in a git-ignored folder.

PostgreSQL refuses to run as root, so as root the server tools run as the `postgres` OS user
(through runuser) and the data folder belongs to it; any other user runs them as themselves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg

from dagster_cerniq.ops.errors import CerniqError

REPO_ROOT = Path(__file__).resolve().parents[2]
HOME_ENV = "CERNIQ_HOME"
PORT_ENV = "CERNIQ_PG_PORT"
PG_BIN_ENV = "CERNIQ_PG_BIN"
DEFAULT_PORT = 54329
DEFAULT_DATABASE = "cerniq"
MIN_MAJOR_VERSION = 15
SERVER_OS_USER = "postgres"
# Settings for throwaway clusters (tests): durability traded for speed.
FAST_UNSAFE_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def find_server_bin() -> Path:
    """The newest PostgreSQL ≥ 15 server binaries on this machine (or `CERNIQ_PG_BIN`)."""
    if os.environ.get(PG_BIN_ENV):
        candidates = [Path(os.environ[PG_BIN_ENV])]
    else:
        found = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
            reverse=True,
        )
        on_path = shutil.which("pg_ctl")
        candidates = found + ([Path(on_path).parent] if on_path else [])
    for bin_dir in candidates:
        if (bin_dir / "initdb").exists() and _major_version(bin_dir) >= MIN_MAJOR_VERSION:
            return bin_dir
    raise CerniqError(
        f"no PostgreSQL {MIN_MAJOR_VERSION}+ server found: install it "
        f"(Debian: apt-get install postgresql-15 postgresql-15-postgis-3) or set {PG_BIN_ENV}"
    )


def _major_version(bin_dir: Path) -> int:
    out = subprocess.run(
        [str(bin_dir / "pg_ctl"), "--version"], capture_output=True, text=True, check=False
    ).stdout
    digits = out.split()[-1].split(".")[0] if out.split() else "0"
    return int(digits) if digits.isdigit() else 0


def require_postgis_package(bin_dir: Path) -> None:
    sharedir = subprocess.run(
        [str(bin_dir / "pg_config"), "--sharedir"], capture_output=True, text=True, check=False
    ).stdout.strip()
    major = _major_version(bin_dir)
    if not sharedir or not (Path(sharedir) / "extension" / "postgis.control").exists():
        raise CerniqError(
            f"PostGIS is not installed for PostgreSQL {major}: "
            f"run apt-get install postgresql-{major}-postgis-3 (as root), then retry"
        )


@dataclass(frozen=True)
class EmbeddedPostgres:
    """A PostgreSQL cluster living in `home` and listening on 127.0.0.1:`port`."""

    home: Path
    port: int
    database: str = DEFAULT_DATABASE
    fast_unsafe: bool = False

    @classmethod
    def default(cls) -> EmbeddedPostgres:
        home = Path(os.environ.get(HOME_ENV) or REPO_ROOT / ".cerniq")
        port_text = os.environ.get(PORT_ENV, str(DEFAULT_PORT))
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise CerniqError(f"{PORT_ENV} must be a TCP port number, got {port_text!r}")
        return cls(home=home.resolve(), port=int(port_text))

    @property
    def data_dir(self) -> Path:
        return self.home / "pgdata"

    @property
    def socket_dir(self) -> Path:
        return self.home / "run"

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql://{SERVER_OS_USER}@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> str:
        """Initialise (first time) and start the cluster, create its database; return the URL."""
        bin_dir = find_server_bin()
        require_postgis_package(bin_dir)
        self._prepare_folders()
        if not (self.data_dir / "PG_VERSION").exists():
            self._run(
                bin_dir / "initdb",
                "-D", self.data_dir, "-U", SERVER_OS_USER, "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
        if not self.is_running():
            options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
            if self.fast_unsafe:
                options += "".join(f" -c {setting}" for setting in FAST_UNSAFE_SETTINGS)
            self._run(
                bin_dir / "pg_ctl",
                "-D", self.data_dir, "-l", self.log_file, "-w", "-t", "60", "-o", options, "start",
            )  # fmt: skip
        self._create_database()
        return self.url

    def stop(self) -> bool:
        """Stop the cluster; False when it was not running."""
        if not self.is_running():
            return False
        self._run(find_server_bin() / "pg_ctl", "-D", self.data_dir, "-m", "fast", "-w", "stop")
        return True

    def is_running(self) -> bool:
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        result = subprocess.run(
            self._as_server_user(find_server_bin() / "pg_ctl", "-D", self.data_dir, "status"),
            capture_output=True,
            text=True,
            check=False,
        )
        return result.returncode == 0

    def status(self) -> str:
        if not (self.data_dir / "PG_VERSION").exists():
            return f"not initialised (data folder {self.data_dir})"
        if not self.is_running():
            return f"stopped (data folder {self.data_dir})"
        return f"running at {self.url} (data folder {self.data_dir})"

    def _create_database(self) -> None:
        admin_url = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "select 1 from pg_database where datname = %s", (self.database,)
            ).fetchone()
            if not exists:
                conn.execute(f'create database "{self.database}"')

    def _prepare_folders(self) -> None:
        for folder in (self.home, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return
        if not self.data_dir.exists():
            self.data_dir.mkdir(mode=0o700)
        for path in (self.home, self.data_dir, self.socket_dir):
            shutil.chown(path, user=SERVER_OS_USER)
        if not self.log_file.exists():
            self.log_file.touch()
        shutil.chown(self.log_file, user=SERVER_OS_USER)
        unreachable = [parent for parent in self.home.parents if parent.stat().st_mode & 0o001 == 0]
        if unreachable:
            raise CerniqError(
                f"the {SERVER_OS_USER} OS user cannot reach {self.home}: {unreachable[0]} is not "
                f"traversable by others; set {HOME_ENV} to a folder outside it (e.g. /tmp/cerniq)"
            )

    def _run(self, *command: object) -> None:
        result = subprocess.run(
            self._as_server_user(*command), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            reason = detail[-1] if detail else f"exit code {result.returncode}"
            raise CerniqError(
                f"{Path(str(command[0])).name} failed: {reason} (log: {self.log_file})"
            )

    @staticmethod
    def _as_server_user(*command: object) -> list[str]:
        args = [str(part) for part in command]
        if os.geteuid() == 0:
            return ["runuser", "-u", SERVER_OS_USER, "--", *args]
        return args
