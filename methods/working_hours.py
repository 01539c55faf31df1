"""Working hours: when a member may be pinged, in their own time zone, and the moments a whole
group may be. Pure: every moment is passed in.

An asynchronous case posts its prompts and DMs only inside the group's common working time: the
moments that fall within every member's working hours. When the members' hours never overlap,
the case owner's hours are used, so the case still moves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)
WEEKDAYS = frozenset(range(5))  # Monday is 0
HORIZON = timedelta(days=14)  # how far ahead (or back) to look for common working time

Window = tuple[datetime, datetime]  # [start, end) in UTC


@dataclass(frozen=True)
class WorkingHours:
    """One member's working hours: the same local times on each working day."""

    tz: ZoneInfo
    start: time = DEFAULT_START
    end: time = DEFAULT_END
    days: frozenset[int] = WEEKDAYS

    def windows(self, since: datetime, until: datetime) -> list[Window]:
        """This member's working periods that overlap [since, until), in UTC."""
        found = []
        first = since.astimezone(self.tz).date() - timedelta(days=1)
        for offset in range((until - since).days + 3):
            day = first + timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            opens, closes = self._at(day, self.start), self._at(day, self.end)
            if opens < until and closes > since and opens < closes:
                found.append((opens, closes))
        return found

    def _at(self, day: date, moment: time) -> datetime:
        """A local wall-clock time as UTC; on the day clocks change, Python's fold rules pick
        the first of two, or the time just after a gap."""
        local = datetime.combine(day, moment, tzinfo=self.tz)
        return local.astimezone(UTC)

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone(self.tz)
        return local.weekday() in self.days and self.start <= local.time() < self.end


def _intersect(left: list[Window], right: list[Window]) -> list[Window]:
    common, i, j = [], 0, 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            common.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return common


def common_windows(
    people: Sequence[WorkingHours], since: datetime, until: datetime
) -> list[Window]:
    """The periods in [since, until) when everyone is within their working hours."""
    if not people:
        return [(since, until)]
    windows = people[0].windows(since, until)
    for person in people[1:]:
        windows = _intersect(windows, person.windows(since, until))
    return [(max(a, since), min(b, until)) for a, b in windows if b > since and a < until]


@dataclass(frozen=True)
class Audience:
    """Whom an asynchronous case's messages reach: the members, and the case owner's hours to
    fall back on when the members have no working time in common."""

    members: tuple[WorkingHours, ...]
    owner: WorkingHours

    def _people(self, around: datetime) -> Sequence[WorkingHours]:
        if self.members and common_windows(self.members, around, around + timedelta(days=7)):
            return self.members
        return [self.owner]

    def windows(self, since: datetime, until: datetime) -> list[Window]:
        return common_windows(self._people(since), since, until)

    def allows(self, moment: datetime) -> bool:
        return all(person.contains(moment) for person in self._people(moment))

    def next_moment(self, moment: datetime) -> datetime:
        """`moment` itself when it is common working time, otherwise the next moment that is."""
        windows = self.windows(moment, moment + HORIZON)
        return windows[0][0] if windows else moment

    def nudge_moment(self, opened: datetime, closes: datetime, lead: timedelta) -> datetime:
        """When to remind those who have not contributed: `lead` before the phase closes, or
        the last working moment before that, but never before the phase opened."""
        target = closes - lead
        if target <= opened or self.allows(target):
            return max(target, opened)
        windows = self.windows(opened, target)
        if not windows:
            return opened
        start, end = windows[-1]
        return max(start, end - timedelta(minutes=30))
