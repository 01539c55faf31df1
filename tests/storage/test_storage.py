"""The database is migrated at start, on a fresh file or an older schema, and keeps UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory
from storage.groups import adopt_rows
from storage.migrate import alembic_config, upgrade_to_head
from storage.people import get_person, remember_person
from tests.slackkit.fake_slack import TEAM_ID


def test_a_fresh_database_gets_every_table(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")

    upgrade_to_head(engine)

    assert "people" in inspect(engine).get_table_names()


def test_an_older_database_is_upgraded_and_keeps_its_rows(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:  # the table as revision 0001 made it
        connection.execute(
            text(
                "INSERT INTO people (user_id, locale, tz, fetched_at)"
                " VALUES ('U0ANNA', 'nl-NL', 'Europe/Amsterdam', '2026-11-02 10:00:00.000000')"
            )
        )

    upgrade_to_head(engine)
    upgrade_to_head(engine)
    with make_session_factory(engine).begin() as session:  # its one workspace adopts it
        adopt_rows(session, TEAM_ID)

    with make_session_factory(engine)() as session:
        person = get_person(session, TEAM_ID, "U0ANNA")
        assert person is not None and person.locale == "nl-NL"


def test_times_come_back_timezone_aware_in_utc(db: sessionmaker[Session]) -> None:
    amsterdam = timezone(timedelta(hours=1))
    with db.begin() as session:
        remember_person(
            session,
            TEAM_ID,
            "U0ANNA",
            "nl-NL",
            "Europe/Amsterdam",
            "Anna",
            datetime(2026, 11, 2, 10, 0, tzinfo=amsterdam),
        )

    with db() as session:
        person = get_person(session, TEAM_ID, "U0ANNA")
        assert person is not None
        assert person.fetched_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        assert person.fetched_at.tzinfo is not None
