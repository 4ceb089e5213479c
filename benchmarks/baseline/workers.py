"""A BullMQ queue's workers, in threads: `concurrency` workers, each with its own database
connection, each job in its own transaction, as the seed's workers run them."""

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import psycopg

# Jobs waiting per worker: enough to keep the workers busy, few enough to stream large queues.
BACKLOG_PER_WORKER = 8
_DONE = object()


@dataclass
class QueueStats:
    name: str
    concurrency: int
    jobs: int = 0
    seconds: float = 0.0


def drain(
    database_url: str,
    name: str,
    concurrency: int,
    jobs: Iterable[object],
    handler: Callable[[psycopg.Connection, object], int | None],
) -> QueueStats:
    """Run `handler(conn, job)` for every job on `concurrency` workers; return when all are done.
    A handler returns how many events its job held when that is not one (A1: a client's orders).

    The first failing job stops the queue and its error is raised here.
    """
    stats = QueueStats(name, concurrency)
    backlog: queue.Queue = queue.Queue(maxsize=concurrency * BACKLOG_PER_WORKER)
    failures: list[Exception] = []
    counted = threading.Lock()

    def work() -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            while (job := backlog.get()) is not _DONE:
                if failures:
                    continue
                try:
                    events = handler(conn, job)
                except Exception as error:
                    failures.append(error)
                    continue
                with counted:
                    stats.jobs += 1 if events is None else events

    started = time.perf_counter()
    workers = [threading.Thread(target=work, name=f"{name}-{i}") for i in range(concurrency)]
    for worker in workers:
        worker.start()
    try:
        for job in jobs:
            if failures:
                break
            backlog.put(job)
    finally:
        for _ in workers:
            backlog.put(_DONE)
        for worker in workers:
            worker.join()
    stats.seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    return stats
