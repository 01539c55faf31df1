"""Working hours across time zones, weekends and clock changes, and the asynchronous version of a
method: the pure rules behind an asynchronous case."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from methods.engine import RunState, heads_up_at, next_moment
from methods.library import methods
from methods.working_hours import Audience, WorkingHours, common_windows

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
ANNA = WorkingHours(AMSTERDAM)
DEV = WorkingHours(NEW_YORK)
FRIDAY = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)  # 13:00 in Amsterdam, 07:00 in New York


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def test_amsterdam_and_new_york_share_two_hours_a_working_day() -> None:
    windows = common_windows([ANNA, DEV], utc(3, 0), utc(5, 0))

    # 09:00-17:00 in New York is 14:00-22:00 UTC; in Amsterdam 08:00-16:00 UTC (winter time).
    assert windows == [(utc(3, 14), utc(3, 16)), (utc(4, 14), utc(4, 16))]


def test_after_friday_the_next_common_moment_is_monday() -> None:
    group = Audience((ANNA, DEV), owner=ANNA)

    assert group.next_moment(utc(4, 15)) == utc(4, 15)
    assert group.next_moment(utc(4, 16)) == utc(7, 14)  # Monday 15:00 / 09:00
    assert not group.allows(utc(5, 15))  # Saturday


def test_own_hours_and_days_are_respected() -> None:
    early = WorkingHours(AMSTERDAM, start=time(7, 0), end=time(12, 0), days=frozenset({0, 2}))
    assert early.contains(datetime(2026, 12, 2, 7, 30, tzinfo=AMSTERDAM))  # Wednesday
    assert not early.contains(datetime(2026, 12, 3, 7, 30, tzinfo=AMSTERDAM))  # Thursday
    assert not early.contains(datetime(2026, 12, 2, 12, 0, tzinfo=AMSTERDAM))


def test_hours_follow_the_local_clock_across_daylight_saving_time() -> None:
    """On Sunday 29 March 2026 Amsterdam moves to summer time: 09:00 is 08:00 UTC on Friday
    and 07:00 UTC on Monday."""
    windows = ANNA.windows(datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC))
    assert [start.hour for start, _ in windows] == [8, 7]


def test_without_common_hours_the_case_owners_hours_are_used() -> None:
    tokyo = WorkingHours(TOKYO, start=time(9, 0), end=time(12, 0))
    group = Audience((ANNA, tokyo), owner=ANNA)

    assert common_windows([ANNA, tokyo], utc(7, 0), utc(12, 0)) == []
    assert group.next_moment(utc(7, 6)) == utc(7, 8)  # Monday 09:00 in Amsterdam


def test_the_nudge_comes_before_the_round_closes_in_working_time() -> None:
    group = Audience((ANNA, DEV), owner=ANNA)
    opened = utc(3, 15)  # Thursday
    closes = group.next_moment(opened + timedelta(days=2))  # Saturday, so Monday 14:00 UTC

    assert closes == utc(7, 14)
    nudge = group.nudge_moment(opened, closes, timedelta(hours=4))
    assert nudge == utc(4, 15, 30)  # the last half hour of Friday's common time
    assert group.allows(nudge)
    assert group.nudge_moment(opened, utc(3, 15, 30), timedelta(hours=4)) == opened


def test_an_asynchronous_method_lasts_days_and_collects_every_round() -> None:
    incident = methods()["incident"].asynchronous()

    hours = {p.id: p.minutes // 60 for p in incident.phases}
    assert hours == {
        "explain": 12,
        "information": 24,
        "diagnosis": 24,
        "solutions": 48,
        "choice": 12,
        "closing": 12,
    }
    collects = {p.id: p.collect for p in incident.phases}
    assert collects["diagnosis"] == "contributions"
    assert collects["solutions"] == "advice"
    assert collects["information"] is None


def test_an_asynchronous_case_has_no_two_minute_warning() -> None:
    incident = methods()["incident"].asynchronous()
    state = RunState(phase=0, phase_started_at=FRIDAY, heads_up_minutes=0)

    assert heads_up_at(incident, state, 1.0) is None
    assert next_moment(incident, state, 1.0) == FRIDAY + timedelta(hours=12)
