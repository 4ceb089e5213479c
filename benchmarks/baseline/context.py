"""What every baseline job of one run shares: the run's dates, its tenants, the parameters, and
what earlier queues of the run handed on (new states, confirmed signals, transitions)."""

import datetime as dt
import threading
from dataclasses import dataclass, field
from uuid import UUID

from benchmarks.baseline.params import Parameters


def utc_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(dt.UTC).date()


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


@dataclass(frozen=True)
class SignalKey:
    """SPEC §4: a signal is (client, type, evidence source id)."""

    tenant_id: UUID
    client_id: UUID
    signal_type: str
    evidence_source_id: UUID


@dataclass(frozen=True)
class Transition:
    tenant_id: UUID
    client_id: UUID
    state_id: UUID
    from_state: str
    to_state: str
    reason: str


@dataclass
class RunContext:
    tenant_ids: list[UUID]
    as_of: dt.date
    # SPEC §2: the end of the as-of day; events before it are seen, state changes carry it.
    logical_time: dt.datetime
    # The logical time of the previous run: events before it were handled then. None: cold.
    since: dt.datetime | None
    params: Parameters
    new_state_clients: set[UUID] = field(default_factory=set)
    confirmed_signals: set[SignalKey] = field(default_factory=set)
    transitions: list[Transition] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def params_sql(self) -> dict[str, object]:
        return {
            "tenants": self.tenant_ids,
            "logical_time": self.logical_time,
            "since": self.since,
            "as_of": self.as_of,
        }

    def days_since(self, moment: dt.datetime) -> int:
        """Whole calendar days from an event's UTC date to the as-of date (SPEC §2)."""
        return (self.as_of - utc_date(moment)).days

    def hand_on(self, collection: set | list, item: object) -> None:
        with self.lock:
            if isinstance(collection, set):
                collection.add(item)
            else:
                collection.append(item)
