"""Attendance rules for professional registers: which held meetings count toward a member's
yearly target, and how far they are from it. Pure: the meetings and the year are passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

DEFAULT_TARGET_MEETINGS = 4
DEFAULT_TARGET_MINUTES = 90
TARGET_MEETINGS_RANGE = range(1, 53)
TARGET_MINUTES_RANGE = range(30, 481)
CORRECTED_MINUTES_RANGE = range(1, 721)


@dataclass(frozen=True)
class Target:
    """A register's yearly requirement: this many meetings of at least this many minutes."""

    meetings: int = DEFAULT_TARGET_MEETINGS
    minutes: int = DEFAULT_TARGET_MINUTES


@dataclass(frozen=True)
class Attended:
    """One held meeting a member was present at. No case content, by design."""

    meeting_id: int
    group_name: str
    started_at: datetime
    ended_at: datetime
    minutes: int
    methods: tuple[str, ...]
    cases_discussed: int


@dataclass(frozen=True)
class YearOverview:
    year: int
    target: Target
    counted: tuple[Attended, ...]  # long enough for the register
    too_short: tuple[Attended, ...]

    @property
    def counted_minutes(self) -> int:
        return sum(m.minutes for m in self.counted)

    @property
    def missing(self) -> int:
        """How many more meetings of the minimum length the member needs this year."""
        return max(0, self.target.meetings - len(self.counted))


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end, rounded to the nearest minute."""
    return max(0, round((end - start).total_seconds() / 60))


def local_year(moment: datetime, tz: ZoneInfo) -> int:
    return moment.astimezone(tz).year


def year_overview(
    attended: list[Attended], year: int, tz: ZoneInfo, target: Target
) -> YearOverview:
    """The member's meetings in `year` (by the date in their own time zone), split into those
    that count toward the target and those shorter than its minimum."""
    in_year = sorted(
        (m for m in attended if local_year(m.started_at, tz) == year), key=lambda m: m.started_at
    )
    return YearOverview(
        year=year,
        target=target,
        counted=tuple(m for m in in_year if m.minutes >= target.minutes),
        too_short=tuple(m for m in in_year if m.minutes < target.minutes),
    )
