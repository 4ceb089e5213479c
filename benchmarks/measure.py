"""Wall time and peak memory of a command, and of the database server meanwhile.

A process's memory is the peak, over samples, of the summed resident memory of the process and
all its descendants (`cerniq run` starts dbt as a child process). The server's is the peak
summed proportional set size (PSS: shared buffers counted once) of the postmaster and its
children, when the server runs on this machine.
"""

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import psutil
import psycopg

SAMPLE_SECONDS = 0.1
SERVER_SAMPLE_SECONDS = 0.5
MIB = 1024 * 1024


@dataclass
class Measurement:
    seconds: float
    peak_rss_mib: float | None
    peak_server_mib: float | None
    stdout: str = ""
    # Distinct dbt processes seen, by their dbt command (build, parse, ...).
    dbt_invocations: dict[str, int] = field(default_factory=dict)


def server_pid(url: str) -> int | None:
    """The postmaster of the server behind `url`, when it runs on this machine."""
    with psycopg.connect(url) as conn:
        backend = conn.execute("select pg_backend_pid()").fetchone()[0]
    try:
        parent = psutil.Process(backend).parent()
    except psutil.Error:
        return None  # another machine's server
    return parent.pid if parent is not None and "postgres" in parent.name() else None


class _PeakSampler(threading.Thread):
    """Samples a memory figure until stopped; keeps the peak."""

    def __init__(self, sample, interval: float):
        super().__init__(daemon=True)
        self._sample, self._interval = sample, interval
        self._stop_event = threading.Event()
        # None until a sample succeeds: an unreadable figure is reported as missing, not as 0.
        self.peak: int | None = None

    def run(self) -> None:
        while not self._stop_event.is_set():
            # A process may end between listing and reading it.
            with contextlib.suppress(psutil.Error):
                sample = self._sample()
                self.peak = sample if self.peak is None else max(self.peak, sample)
            self._stop_event.wait(self._interval)

    def stop(self) -> int | None:
        self._stop_event.set()
        self.join()
        return self.peak


def _server_pss(postmaster: psutil.Process) -> int:
    """The server's summed PSS; raises when not even the postmaster's can be read."""
    total = postmaster.memory_full_info().pss
    for process in postmaster.children():
        with contextlib.suppress(psutil.Error):
            total += process.memory_full_info().pss
    return total


def server_sampler(pid: int | None) -> _PeakSampler | None:
    if pid is None:
        return None
    sampler = _PeakSampler(lambda: _server_pss(psutil.Process(pid)), SERVER_SAMPLE_SECONDS)
    sampler.start()
    return sampler


def _mib(value: int | None) -> float | None:
    return None if value is None else round(value / MIB, 1)


def run_measured(
    command: Sequence[str], env: dict[str, str] | None = None, server: int | None = None
) -> Measurement:
    """Run a command to completion, measuring it (and the server `server`, a postmaster pid);
    raise with its output when it fails."""
    # pid -> (dbt command, parent pid), for every dbt process seen
    dbt_processes: dict[int, tuple[str, int]] = {}
    server_watch = server_sampler(server)
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    root = psutil.Process(process.pid)

    def tree_rss() -> int:
        members = [root, *root.children(recursive=True)]
        for member in members[1:]:
            if member.pid not in dbt_processes:
                command_word = _dbt_command(member)
                if command_word:
                    dbt_processes[member.pid] = (command_word, member.ppid())
        return sum(member.memory_info().rss for member in members)

    watch = _PeakSampler(tree_rss, SAMPLE_SECONDS)
    watch.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    peak = watch.stop()
    server_peak = server_watch.stop() if server_watch else None
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command[:3])} … failed ({process.returncode}):\n{stderr[-3000:]}"
        )
    return Measurement(seconds, _mib(peak), _mib(server_peak), stdout, _invocations(dbt_processes))


def _invocations(dbt_processes: dict[int, tuple[str, int]]) -> dict[str, int]:
    """dbt invocations by command. A child of a dbt process is part of its parent's invocation:
    between fork and exec (dbt starts multiprocessing's resource tracker) it still shows the
    parent's command line."""
    invocations: dict[str, int] = {}
    for word, parent in dbt_processes.values():
        if parent not in dbt_processes:
            invocations[word] = invocations.get(word, 0) + 1
    return invocations


def _dbt_command(process: psutil.Process) -> str | None:
    """The dbt command (build, parse, …) a process runs, or None when it is not dbt."""
    try:
        arguments = process.cmdline()
    except psutil.Error:
        return None
    for index, argument in enumerate(arguments[:3]):
        if os.path.basename(argument) == "dbt" and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


def measure_sql(url: str, statement: str, server: int | None = None) -> Measurement:
    """One SQL statement's wall time (and the server's memory meanwhile), committed."""
    server_watch = server_sampler(server)
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        conn.execute(statement)
        conn.commit()
        seconds = time.perf_counter() - started
    server_peak = server_watch.stop() if server_watch else None
    return Measurement(seconds, None, _mib(server_peak))
