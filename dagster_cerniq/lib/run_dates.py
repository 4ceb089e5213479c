"""The as-of date of a run and its logical time (SPEC §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from dagster_cerniq.ops.errors import CerniqError

AS_OF_TAG = "cerniq/as_of"
BUSINESS_TIMEZONE = ZoneInfo("Europe/Bucharest")


def today() -> dt.date:
    """Today in Romania, the default as-of date."""
    return dt.datetime.now(BUSINESS_TIMEZONE).date()


def parse_as_of(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CerniqError(f"the as-of date must be YYYY-MM-DD, got {value!r}") from None


def as_of_from_tags(tags: Mapping[str, str]) -> dt.date:
    """The run's as-of date: its `cerniq/as_of` tag, else today."""
    value = tags.get(AS_OF_TAG)
    return parse_as_of(value) if value else today()


def logical_time(as_of: dt.date, now: dt.datetime | None = None) -> dt.datetime:
    """End of the as-of day (next day 00:00 UTC), or now if that is earlier.

    State changes, audit rows and SLA clocks are stamped with it, so a replay of a past date
    behaves as the live run of that date did.
    """
    end_of_day = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC)
    current = now or dt.datetime.now(dt.UTC)
    return min(end_of_day, current)


def run_logical_time(as_of: dt.date, run_created_at: float) -> dt.datetime:
    """The logical time of a run: fixed by when the run was created, the same in every step."""
    return logical_time(as_of, dt.datetime.fromtimestamp(run_created_at, dt.UTC))
