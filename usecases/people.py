"""Who is this Slack user: their locale and time zone, cached in the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rendering.i18n import Language, Translator, language_for
from storage.models import Person
from storage.people import get_person, remember_person
from usecases.clock import Clock

logger = logging.getLogger(__name__)
PROFILE_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class Profile:
    user_id: str
    locale: str | None
    tz: str | None
    name: str | None = None
    team: str | None = None  # their own workspace (another organisation's in a shared channel)

    def language_in(self, group_language: str) -> Language:
        """What they read alone: their own language when we speak it, else the group's."""
        return language_for(self.locale, group_language)


class Directory:
    """Looks users up with `users.info` at most every PROFILE_TTL and keeps the answer."""

    def __init__(
        self, client: WebClient, db: sessionmaker[Session], clock: Clock, team_id: str
    ) -> None:
        self._client = client
        self._db = db
        self._clock = clock
        self._team_id = team_id

    def profile(self, user_id: str) -> Profile:
        now = self._clock()
        with self._db.begin() as session:
            person = get_person(session, self._team_id, user_id)
            if person is not None and now - person.fetched_at < PROFILE_TTL:
                return _known(person)
            known = _known(person) if person else None
        try:
            user = self._client.users_info(user=user_id, include_locale=True)["user"]
        except (SlackApiError, OSError):
            logger.exception("users.info failed for user %s", user_id)
            return known or Profile(user_id, None, None)
        name = user.get("real_name") or (user.get("profile") or {}).get("real_name")
        fresh = Profile(
            user_id,
            user.get("locale"),
            user.get("tz"),
            name or user.get("name"),
            user.get("team_id"),
        )
        try:
            with self._db.begin() as session:
                remember_person(
                    session,
                    self._team_id,
                    user_id,
                    fresh.locale,
                    fresh.tz,
                    fresh.name,
                    now,
                    fresh.team,
                )
        except IntegrityError:
            logger.debug("user %s was stored by a simultaneous request", user_id)
        return fresh

    def translator(self, user_id: str, group_language: str | None = None) -> Translator:
        """For what this person sees alone (see `language_for`)."""
        return Translator(language_for(self.profile(user_id).locale, group_language))


def known_translator(
    session: Session, team_id: str, user_id: str, group_language: str
) -> Translator:
    """For what one person reads alone, from what is stored about them (never asking Slack):
    for messages made inside a transaction. Someone not looked up yet reads the group's."""
    person = get_person(session, team_id, user_id)
    return Translator(language_for(person.locale if person else None, group_language))


def _known(person: Person) -> Profile:
    return Profile(person.user_id, person.locale, person.tz, person.name, person.user_team)
