"""Repository for what the bot knows of Slack users (locale, time zone)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from storage.models import Person


def get_person(session: Session, team_id: str, user_id: str) -> Person | None:
    return session.get(Person, (team_id, user_id))


def _person(session: Session, team_id: str, user_id: str) -> Person:
    person = session.get(Person, (team_id, user_id))
    if person is None:
        # Never fetched from Slack yet: the directory looks them up at the next chance.
        person = Person(
            team_id=team_id, user_id=user_id, fetched_at=datetime.min.replace(tzinfo=UTC)
        )
        session.add(person)
    return person


def remember_person(
    session: Session,
    team_id: str,
    user_id: str,
    locale: str | None,
    tz: str | None,
    name: str | None,
    now: datetime,
    user_team: str | None = None,
) -> Person:
    """What Slack said of a user when `team_id`'s bot asked (`user_team`: their own workspace)."""
    person = _person(session, team_id, user_id)
    person.locale = locale
    person.tz = tz
    person.name = name
    person.user_team = user_team
    person.fetched_at = now
    return person


def set_target(session: Session, team_id: str, user_id: str, meetings: int, minutes: int) -> None:
    """The member's own yearly attendance target (their register's requirement)."""
    person = _person(session, team_id, user_id)
    person.target_meetings = meetings
    person.target_minutes = minutes


def set_working_hours(
    session: Session, team_id: str, user_id: str, start: str, end: str, days: str
) -> None:
    """The member's own working hours ("HH:MM" local times; weekday digits, Monday is 0)."""
    person = _person(session, team_id, user_id)
    person.work_start, person.work_end, person.work_days = start, end, days
