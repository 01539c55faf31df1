"""Repository for what the bot knows of Slack users (locale, time zone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import Person


def get_person(session: Session, user_id: str) -> Person | None:
    return session.get(Person, user_id)


def remember_person(
    session: Session, user_id: str, locale: str | None, tz: str | None, now: datetime
) -> Person:
    person = session.get(Person, user_id)
    if person is None:
        person = Person(user_id=user_id)
        session.add(person)
    person.locale = locale
    person.tz = tz
    person.fetched_at = now
    return person
