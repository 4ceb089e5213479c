"""As-of dates and logical time."""

from __future__ import annotations

import datetime as dt

import pytest

from dagster_cerniq.lib.run_dates import AS_OF_TAG, as_of_from_tags, logical_time, today
from dagster_cerniq.ops.errors import CerniqError


def test_logical_time_of_a_past_date_is_the_end_of_that_day() -> None:
    now = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    assert logical_time(dt.date(2026, 10, 31), now) == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_logical_time_of_today_is_now() -> None:
    now = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    assert logical_time(dt.date(2026, 11, 23), now) == now


def test_as_of_comes_from_the_run_tag_else_today() -> None:
    assert as_of_from_tags({AS_OF_TAG: "2026-03-15"}) == dt.date(2026, 3, 15)
    assert as_of_from_tags({}) == today()


def test_a_malformed_as_of_tag_is_a_clear_error() -> None:
    with pytest.raises(CerniqError, match="YYYY-MM-DD"):
        as_of_from_tags({AS_OF_TAG: "15/03/2026"})
