"""The group's year in one picture: what its meetings were, how safe and useful they felt, and
how the case owners' goals turned out. Pure: the facts and the clock are passed in.

The evaluation's anonymity rule holds here too: a meeting's averages exist only when at least
MIN_EVALUATIONS members answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

MIN_EVALUATIONS = 3
GOAL_OUTCOMES = ("achieved", "partly", "not_yet", "irrelevant")
REVIEW_MONTH = 12  # from 1 December, once no meeting of the year is still to come


@dataclass(frozen=True)
class HeldMeeting:
    day: date  # in the group's time zone
    minutes: int
    present: int
    members: int
    safety: float | None  # None: fewer than MIN_EVALUATIONS answers
    usefulness: float | None


@dataclass(frozen=True)
class YearReview:
    group_name: str
    year: int
    meetings: tuple[HeldMeeting, ...]
    goals: tuple[tuple[str, int], ...]  # (outcome, how many), in GOAL_OUTCOMES order

    @property
    def total_minutes(self) -> int:
        return sum(m.minutes for m in self.meetings)

    @property
    def evaluated(self) -> tuple[HeldMeeting, ...]:
        return tuple(m for m in self.meetings if m.safety is not None)


def averages(scores: Sequence[tuple[int, int]]) -> tuple[float | None, float | None]:
    """The average (safety, usefulness) of a meeting's answers; (None, None) below the
    anonymity threshold."""
    if len(scores) < MIN_EVALUATIONS:
        return None, None
    return (
        round(sum(s for s, _ in scores) / len(scores), 1),
        round(sum(u for _, u in scores) / len(scores), 1),
    )


def goal_counts(statuses: Sequence[str]) -> tuple[tuple[str, int], ...]:
    return tuple((outcome, sum(1 for s in statuses if s == outcome)) for outcome in GOAL_OUTCOMES)


def review_season(now: datetime, tz: ZoneInfo) -> int | None:
    """The year whose review may be due: from 1 December (in the group's zone); None before."""
    local = now.astimezone(tz)
    return local.year if local.month >= REVIEW_MONTH else None


def review_due(now: datetime, tz: ZoneInfo, meetings_to_come_this_year: int) -> int | None:
    """The year whose review is due now: in its season, once the year holds no meeting still
    to come; None before."""
    return None if meetings_to_come_this_year > 0 else review_season(now, tz)
