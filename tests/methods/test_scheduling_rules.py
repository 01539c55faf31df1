"""The pure scheduling rules: wall-clock times across daylight saving, reminder moments, and
whether a late reminder is still worth sending. Every "now" is given, never read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from methods.scheduling import (
    Decision,
    ReminderKind,
    ReminderPolicy,
    decide,
    default_case_slots,
    initial_status,
    local_to_utc,
    next_at_cadence,
    zone,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_meeting_every_8_weeks_at_1930_stays_at_1930_across_the_october_switch() -> None:
    summer = local_to_utc(date(2026, 9, 15), time(19, 30), AMSTERDAM)

    winter = next_at_cadence(summer, AMSTERDAM, 8)

    assert summer == at("2026-09-15T17:30:00+00:00")
    assert winter == at("2026-11-10T18:30:00+00:00")
    assert winter.astimezone(AMSTERDAM).time() == time(19, 30)


def test_and_across_the_march_switch() -> None:
    winter = local_to_utc(date(2027, 2, 9), time(19, 30), AMSTERDAM)

    summer = next_at_cadence(winter, AMSTERDAM, 8)

    assert summer == at("2027-04-06T17:30:00+00:00")
    assert summer.astimezone(AMSTERDAM).strftime("%a %H:%M") == "Tue 19:30"


def test_a_year_of_meetings_keeps_weekday_and_local_time() -> None:
    start = local_to_utc(date(2026, 1, 6), time(19, 30), AMSTERDAM)
    for _ in range(7):
        start = next_at_cadence(start, AMSTERDAM, 8)
        local = start.astimezone(AMSTERDAM)
        assert (local.strftime("%a"), local.time()) == ("Tue", time(19, 30))


def test_a_time_in_the_spring_gap_is_moved_forward_by_the_gap() -> None:
    moment = local_to_utc(date(2027, 3, 28), time(2, 30), AMSTERDAM)

    assert moment.astimezone(AMSTERDAM).time() == time(3, 30)


def test_a_time_in_the_autumn_overlap_is_its_first_occurrence() -> None:
    moment = local_to_utc(date(2026, 10, 25), time(2, 30), AMSTERDAM)

    assert moment == at("2026-10-25T00:30:00+00:00")


def test_the_case_request_goes_out_at_the_same_local_time_a_week_before_even_across_dst() -> None:
    start = local_to_utc(date(2026, 10, 27), time(19, 30), AMSTERDAM)

    moments = ReminderPolicy().moments(start, 120, AMSTERDAM)

    assert moments[ReminderKind.CASE_REQUEST].astimezone(AMSTERDAM) == datetime(
        2026, 10, 20, 19, 30, tzinfo=AMSTERDAM
    )
    assert moments[ReminderKind.AGENDA] == start - timedelta(hours=24)
    assert moments[ReminderKind.SOON] == start - timedelta(minutes=15)
    assert moments[ReminderKind.START] == start
    assert moments[ReminderKind.NEXT] == start + timedelta(minutes=120)


def test_a_group_can_adjust_its_reminder_moments() -> None:
    start = at("2026-12-01T18:30:00+00:00")

    moments = ReminderPolicy(case_request_days=10, agenda_hours=48, soon_minutes=5).moments(
        start, 90, AMSTERDAM
    )

    assert moments[ReminderKind.CASE_REQUEST] == at("2026-11-21T18:30:00+00:00")
    assert moments[ReminderKind.AGENDA] == at("2026-11-29T18:30:00+00:00")
    assert moments[ReminderKind.SOON] == at("2026-12-01T18:25:00+00:00")


@pytest.mark.parametrize(("minutes", "slots"), [(90, 1), (120, 2), (150, 2), (180, 3), (240, 4)])
def test_case_slots_default_to_one_per_50_minutes_after_opening_and_closing(
    minutes: int, slots: int
) -> None:
    assert default_case_slots(minutes) == slots


START = at("2026-12-01T18:30:00+00:00")
DUE = START - timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "now", "expected"),
    [
        (ReminderKind.AGENDA, DUE - timedelta(seconds=1), Decision.WAIT),
        (ReminderKind.AGENDA, DUE, Decision.SEND),
        (ReminderKind.AGENDA, START - timedelta(minutes=1), Decision.SEND),
        (ReminderKind.AGENDA, START, Decision.SKIP),
        (ReminderKind.CASE_REQUEST, START + timedelta(days=3), Decision.SKIP),
        (ReminderKind.START, START + timedelta(minutes=119), Decision.SEND),
        (ReminderKind.START, START + timedelta(minutes=120), Decision.SKIP),
        (ReminderKind.NEXT, START + timedelta(days=5), Decision.SEND),
    ],
)
def test_a_late_reminder_is_sent_while_useful_and_skipped_after(
    kind: ReminderKind, now: datetime, expected: Decision
) -> None:
    due = START if kind is ReminderKind.START else DUE
    if kind is ReminderKind.NEXT:
        due = START + timedelta(minutes=120)
    assert decide(kind, due, START, 120, now) is expected


def test_moments_that_passed_before_the_meeting_was_planned_are_not_sent_late() -> None:
    now = START - timedelta(hours=2)

    assert initial_status(ReminderKind.AGENDA, DUE, now) is Decision.SKIP
    assert initial_status(ReminderKind.SOON, START - timedelta(minutes=15), now) is Decision.WAIT
    assert initial_status(ReminderKind.NEXT, START + timedelta(hours=2), now) is Decision.WAIT


def test_a_meeting_planned_at_short_notice_still_asks_how_last_time_s_goals_went() -> None:
    now = START - timedelta(days=1)
    follow_up = ReminderPolicy().moments(START, 120, AMSTERDAM)[ReminderKind.FOLLOW_UP]

    assert follow_up < now
    assert initial_status(ReminderKind.FOLLOW_UP, follow_up, now) is Decision.WAIT
    assert decide(ReminderKind.FOLLOW_UP, follow_up, START, 120, now) is Decision.SEND
    assert decide(ReminderKind.FOLLOW_UP, follow_up, START, 120, START) is Decision.SKIP


def test_only_real_time_zones_are_accepted() -> None:
    assert zone("Europe/Amsterdam") == AMSTERDAM
    assert zone("Amsterdam") is None
    assert zone("../etc/passwd") is None
