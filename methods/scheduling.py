"""Scheduling rules: local wall-clock times, cadence, reminder moments and whether a late
reminder is still worth sending. Pure: every "now" is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

OPENING_AND_CLOSING_MINUTES = 15
MINUTES_PER_CASE = 50
MIN_MEETING_MINUTES = 90
MAX_MEETING_MINUTES = 480


class ReminderKind(StrEnum):
    CASE_REQUEST = "case_request"  # DM to each member: bring a case?
    AGENDA = "agenda"  # the agenda in the channel
    SOON = "soon"  # "starting soon" in the channel
    START = "start"  # the "Start meeting" button in the channel
    NEXT = "next"  # after the meeting: propose the next one at the cadence
    FOLLOW_UP = "follow_up"  # a few days before: ask owners how their goal went
    EVALUATION = "evaluation"  # after the meeting: ask each member how it was
    TAKEAWAY_NUDGE = "takeaway_nudge"  # two days after: one gentle reminder to note takeaways


AFTER_THE_MEETING = (ReminderKind.NEXT, ReminderKind.EVALUATION, ReminderKind.TAKEAWAY_NUDGE)
TAKEAWAY_NUDGE_DAYS = 2
EVALUATION_DAYS = 7


class Decision(StrEnum):
    WAIT = "wait"
    SEND = "send"
    SKIP = "skip"


@dataclass(frozen=True)
class ReminderPolicy:
    """When reminders go out, relative to the meeting; adjustable per group."""

    case_request_days: int = 7
    agenda_hours: int = 24
    soon_minutes: int = 15
    follow_up_days: int = 3

    def moments(self, start: datetime, minutes: int, tz: ZoneInfo) -> dict[ReminderKind, datetime]:
        """Days count in the group's calendar (same local time of day); hours and minutes are
        plain durations."""
        local = start.astimezone(tz)
        case_day = local.date() - timedelta(days=self.case_request_days)
        follow_up_day = local.date() - timedelta(days=self.follow_up_days)
        end = start + timedelta(minutes=minutes)
        return {
            ReminderKind.CASE_REQUEST: local_to_utc(case_day, local.time(), tz),
            ReminderKind.AGENDA: start - timedelta(hours=self.agenda_hours),
            ReminderKind.SOON: start - timedelta(minutes=self.soon_minutes),
            ReminderKind.START: start,
            ReminderKind.NEXT: end,
            ReminderKind.FOLLOW_UP: local_to_utc(follow_up_day, local.time(), tz),
            ReminderKind.EVALUATION: end,
            ReminderKind.TAKEAWAY_NUDGE: end + timedelta(days=TAKEAWAY_NUDGE_DAYS),
        }


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone(name: str) -> ZoneInfo | None:
    """The IANA time zone called `name`, or None when there is no such zone."""
    if name not in _zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC moment of a local wall-clock time. In the spring gap the clock is moved forward
    by the gap; in the autumn overlap the first (summer-time) occurrence is taken."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def next_at_cadence(previous_start: datetime, tz: ZoneInfo, weeks: int) -> datetime:
    """The same weekday and local time `weeks` later, whatever daylight saving did meanwhile."""
    local = previous_start.astimezone(tz)
    day = local.date() + timedelta(weeks=weeks)
    return local_to_utc(day, local.time().replace(tzinfo=None), tz)


def default_case_slots(minutes: int) -> int:
    """One case per ~50 minutes after a 15-minute opening and closing, at least one."""
    return max(1, (minutes - OPENING_AND_CLOSING_MINUTES) // MINUTES_PER_CASE)


def useful_until(kind: ReminderKind, start: datetime, minutes: int) -> datetime | None:
    """The last moment a late reminder still helps anyone (None: it always does)."""
    if kind in (ReminderKind.NEXT, ReminderKind.TAKEAWAY_NUDGE):
        return None
    if kind is ReminderKind.EVALUATION:
        return start + timedelta(minutes=minutes, days=EVALUATION_DAYS)
    if kind is ReminderKind.START:
        return start + timedelta(minutes=minutes)
    return start


def decide(
    kind: ReminderKind, due: datetime, start: datetime, minutes: int, now: datetime
) -> Decision:
    """Send a reminder at its moment, or late while still useful; otherwise skip it."""
    if now < due:
        return Decision.WAIT
    deadline = useful_until(kind, start, minutes)
    return Decision.SEND if deadline is None or now < deadline else Decision.SKIP


def initial_status(kind: ReminderKind, due: datetime, now: datetime) -> Decision:
    """When a meeting is planned, moments that already passed are not sent late: the
    announcement itself tells everyone. What comes after the meeting always stays, and so does
    the goal check-in: a meeting planned at short notice still asks owners how their goal went."""
    if due <= now and kind not in (*AFTER_THE_MEETING, ReminderKind.FOLLOW_UP):
        return Decision.SKIP
    return Decision.WAIT
