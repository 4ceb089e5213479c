"""The embedded local PostgreSQL + PostGIS server: one cluster in a git-ignored folder.

PostgreSQL refuses to run as root, so as root the server tools run as the `postgres` OS user
(through runuser) and the data folder belongs to it; any other user runs them as themselves.

Only its owner gets in. The socket folder is 0700 (the server's OS user's), and every
connection, socket or TCP (127.0.0.1), authenticates with scram-sha-256 as `postgres` with a
password generated at `initdb` and kept in the data folder (`cerniq_password`, 0600), which the
server's URL (`url`) carries for every connection the project makes. A cluster made before
this (trust authentication) is converted when it starts: a password is generated and set, and
pg_hba.conf rewritten and reloaded.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from dagster_cerniq.ops.database import redact
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
PASSWORD_FILE = "cerniq_password"
# The first line marks a pg_hba.conf written here; any other is converted at start.
HBA_MARKER = "# cerniq embedded server: its owner only (scram-sha-256), written by cerniq"
HBA_CONF = f"""{HBA_MARKER}
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
"""


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


# What the server tools (initdb, pg_ctl, and so the server itself) get from the environment:
# nothing else (no API key, no database URL) reaches the server's processes.
SERVER_ENV_NAMES = ("PATH", "LANG", "LANGUAGE", "TZ", "PGTZ", "TMPDIR")


def server_env() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if name in SERVER_ENV_NAMES or name.startswith("LC_")
    }


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
    def password_file(self) -> Path:
        return self.data_dir / PASSWORD_FILE

    @property
    def hba_file(self) -> Path:
        return self.data_dir / "pg_hba.conf"

    def password(self) -> str | None:
        """The generated password of `postgres`, or None before the first start."""
        try:
            return self.password_file.read_text(encoding="utf-8").strip() or None
        except (FileNotFoundError, PermissionError):
            return None

    @property
    def url(self) -> str:
        password = self.password()
        credentials = f"{SERVER_OS_USER}:{password}" if password else SERVER_OS_USER
        return f"postgresql://{credentials}@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> str:
        """Initialise (first time) and start the cluster, create its database; return the URL."""
        bin_dir = find_server_bin()
        require_postgis_package(bin_dir)
        self._prepare_folders()
        with self._start_lock():  # two starting processes must not make two passwords
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb(bin_dir)
            if not self.is_running():
                self._run(
                    bin_dir / "pg_ctl",
                    "-D", self.data_dir, "-l", self.log_file, "-w", "-t", "60",
                    "-o", self._server_options(), "start",
                )  # fmt: skip
            if self.password() is None or not self._hba_is_ours():
                self._convert_from_trust()
        self._create_database()
        return self.url

    def _server_options(self) -> str:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
            " -c unix_socket_permissions=0700 -c password_encryption=scram-sha-256"
        )
        if self.fast_unsafe:
            options += "".join(f" -c {setting}" for setting in FAST_UNSAFE_SETTINGS)
        return options

    def _initdb(self, bin_dir: Path) -> None:
        password = secrets.token_urlsafe(32)
        # initdb wants an empty data folder: the password goes beside it, then inside.
        pwfile = self.home / f".{PASSWORD_FILE}.initdb"
        self._write_private(pwfile, password + "\n")
        try:
            self._run(
                bin_dir / "initdb",
                "-D", self.data_dir, "-U", SERVER_OS_USER, f"--pwfile={pwfile}",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
        finally:
            pwfile.unlink(missing_ok=True)
        self._write_private(self.hba_file, HBA_CONF)
        self._write_private(self.password_file, password + "\n")

    def _hba_is_ours(self) -> bool:
        try:
            return self.hba_file.read_text(encoding="utf-8").startswith(HBA_MARKER)
        except FileNotFoundError:
            return False

    def _convert_from_trust(self) -> None:
        """A cluster made with trust authentication (or a half-converted one): give
        `postgres` a generated password, then allow only scram-sha-256 and reload."""
        password = self.password()
        if password is None:
            if self._hba_is_ours():
                raise CerniqError(
                    f"the embedded server's password file {self.password_file} is missing: "
                    f"restore it, or remove {self.data_dir} (its data is lost) and start again"
                )
            password = secrets.token_urlsafe(32)
            self._write_private(self.password_file, password + "\n")
        admin_url = self.url.rsplit("/", 1)[0] + "/postgres"
        try:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
                verifier = conn.pgconn.encrypt_password(
                    password.encode(), SERVER_OS_USER.encode(), b"scram-sha-256"
                ).decode()
                conn.execute(f"alter role {SERVER_OS_USER} password '{verifier}'")
                self._write_private(self.hba_file, HBA_CONF)
                conn.execute("select pg_reload_conf()")
        except psycopg.OperationalError as exc:
            raise CerniqError(
                f"cannot secure the embedded server at {redact(admin_url)}: "
                f"{str(exc).strip().splitlines()[0]}"
            ) from None

    def _write_private(self, path: Path, text: str) -> None:
        """Write `text` to `path`, readable by the server's OS user only (0600)."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(path, 0o600)
        if os.geteuid() == 0:
            shutil.chown(path, user=SERVER_OS_USER)

    @contextmanager
    def _start_lock(self) -> Iterator[None]:
        with open(self.home / ".start.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

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
            env=server_env(),
        )
        return result.returncode == 0

    def status(self) -> str:
        if not (self.data_dir / "PG_VERSION").exists():
            return f"not initialised (data folder {self.data_dir})"
        if not self.is_running():
            return f"stopped (data folder {self.data_dir})"
        return f"running at {redact(self.url)} (data folder {self.data_dir})"

    def _create_database(self) -> None:
        admin_url = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True, application_name="cerniq") as conn:
            exists = conn.execute(
                "select 1 from pg_database where datname = %s", (self.database,)
            ).fetchone()
            if not exists:
                conn.execute(f'create database "{self.database}"')

    def _prepare_folders(self) -> None:
        for folder in (self.home, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
        # The socket folder: the server's OS user only (no one else reaches the socket).
        os.chmod(self.socket_dir, 0o700)
        if not self.log_file.exists():
            self.log_file.touch()
        os.chmod(self.log_file, 0o600)  # it may show statements
        if os.geteuid() != 0:
            return
        if not self.data_dir.exists():
            self.data_dir.mkdir(mode=0o700)
        for path in (self.home, self.data_dir, self.socket_dir):
            shutil.chown(path, user=SERVER_OS_USER)
        shutil.chown(self.log_file, user=SERVER_OS_USER)
        unreachable = [parent for parent in self.home.parents if parent.stat().st_mode & 0o001 == 0]
        if unreachable:
            raise CerniqError(
                f"the {SERVER_OS_USER} OS user cannot reach {self.home}: {unreachable[0]} is not "
                f"traversable by others; set {HOME_ENV} to a folder outside it (e.g. /tmp/cerniq)"
            )

    def _run(self, *command: object) -> None:
        result = subprocess.run(
            self._as_server_user(*command),
            capture_output=True,
            text=True,
            check=False,
            env=server_env(),
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
            return [shutil.which("runuser") or "runuser", "-u", SERVER_OS_USER, "--", *args]
        return args
