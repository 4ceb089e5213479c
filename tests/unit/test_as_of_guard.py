"""The as-of guard outside a run: a date after today is refused, replay or not."""

from __future__ import annotations

import datetime as dt

import pytest

from dagster_cerniq.lib.run_dates import AS_OF_TAG, REPLAY_TAG, as_of_from_tags, today
from dagster_cerniq.ops.errors import CerniqError


@pytest.mark.parametrize("day", ["2100-01-01", "9999-12-31"])
@pytest.mark.parametrize("replay", [{}, {REPLAY_TAG: "true"}])
def test_a_future_as_of_date_is_refused(day: str, replay: dict[str, str]) -> None:
    with pytest.raises(CerniqError, match=f"the as-of date {day} is after today"):
        as_of_from_tags({AS_OF_TAG: day, **replay})


def test_today_and_past_dates_pass_outside_a_run() -> None:
    assert as_of_from_tags({AS_OF_TAG: today().isoformat()}) == today()
    assert as_of_from_tags({AS_OF_TAG: "0001-01-01"}) == dt.date(1, 1, 1)
    tomorrow = today() + dt.timedelta(days=1)
    with pytest.raises(CerniqError):
        as_of_from_tags({AS_OF_TAG: tomorrow.isoformat()})
