"""Asynchronous cases: a method run over days in the thread. Everything the case posts waits for
the group's common working time (each member's hours, in their own time zone); before a round
closes, members who have not contributed yet get one DM."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from methods.scheduling import zone
from methods.working_hours import DEFAULT_END, DEFAULT_START, WEEKDAYS, Audience, WorkingHours
from storage.models import CaseRun, Person
from usecases.meetings import group_zone

LIVE, ASYNC = "live", "async"
MODES = (LIVE, ASYNC)
NUDGE_LEAD = timedelta(hours=4)  # remind those who have not contributed before a round closes
EXTEND_ASYNC_MINUTES = 24 * 60


def _clock_time(text: str | None, default: time) -> time:
    try:
        return time.fromisoformat(text) if text else default
    except ValueError:
        return default


def working_hours(person: Person | None, fallback: ZoneInfo) -> WorkingHours:
    """A member's hours as they set them, with 09:00-17:00 on weekdays as the default."""
    if person is None:
        return WorkingHours(fallback)
    days = frozenset(int(d) for d in person.work_days or "" if d.isdigit() and int(d) < 7)
    return WorkingHours(
        tz=zone(person.tz or "") or fallback,
        start=_clock_time(person.work_start, DEFAULT_START),
        end=_clock_time(person.work_end, DEFAULT_END),
        days=days or WEEKDAYS,
    )


def audience(session: Session, run: CaseRun) -> Audience:
    group = run.meeting.group
    home = group_zone(group)

    def hours(user_id: str) -> WorkingHours:
        return working_hours(session.get(Person, (group.team_id, user_id)), home)

    return Audience(
        members=tuple(hours(u) for u in group.member_ids), owner=hours(run.case.owner_id)
    )


def may_post(session: Session, run: CaseRun, now: datetime) -> bool:
    """Whether the case may post now: always for a live case; for an asynchronous one, only
    in the group's common working time."""
    return run.mode != ASYNC or audience(session, run).allows(now)


def post_moment(session: Session, run: CaseRun, now: datetime) -> datetime:
    """The first moment from `now` on at which the case may post."""
    return audience(session, run).next_moment(now) if run.mode == ASYNC else now
