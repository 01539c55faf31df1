"""Confidential text is encrypted at rest; a wrong key is refused clearly; keys can be rotated."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.config import ConfigError
from bot.keys import cipher_for
from storage.crypto import Cipher, DecryptionError
from storage.db import make_engine, make_session_factory
from storage.migrate import alembic_config, prepare_database
from storage.models import Case
from tests.conftest import settings_for
from tests.slackkit.fake_slack import FakeSlack
from tests.test_running_the_bot import bot_env, run_bot

SECRET = "Mijn cliënt dreigt met een klacht"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def a_database_with_a_case(path: Path, key: bytes) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url, Cipher([key]))
    prepare_database(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO groups (id, channel_id, name, cadence_weeks, meeting_minutes, "
                "language, timezone, ground_rules, case_request_days, agenda_hours, "
                "soon_minutes, created_at, updated_at) VALUES (1, 'C1', 'Noord', 8, 120, 'nl', "
                "'Europe/Amsterdam', '', 7, 24, 15, :now, :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
    with make_session_factory(engine).begin() as session:
        session.add(
            Case(
                group_id=1,
                owner_id="U1",
                title="Klacht",
                situation=SECRET,
                question="Wat doe ik?",
                kind="incident",
                urgency="normal",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    engine.dispose()
    return url


def stored_situation(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        raw = connection.scalar(text("SELECT situation FROM cases"))
    engine.dispose()
    return str(raw)


def read_situation(db: sessionmaker[Session]) -> str:
    with db() as session:
        case = session.query(Case).one()
        return case.situation


def test_a_case_is_stored_as_a_token_and_read_back_as_text(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    url = a_database_with_a_case(tmp_path / "bot.db", key)

    assert SECRET not in stored_situation(url)
    assert SECRET.encode() not in (tmp_path / "bot.db").read_bytes()
    assert read_situation(make_session_factory(make_engine(url, Cipher([key])))) == SECRET


def test_the_bot_refuses_to_start_with_a_key_that_did_not_write_the_data(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    url = a_database_with_a_case(tmp_path / "bot.db", Fernet.generate_key())
    env = bot_env(fake_slack, url, ENCRYPTION_KEY=Fernet.generate_key().decode())

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert "ENCRYPTION_KEY cannot read the data in this database" in result.stderr
    assert "Traceback" not in result.stderr


def test_reading_with_a_wrong_key_raises_instead_of_returning_garbage(tmp_path: Path) -> None:
    url = a_database_with_a_case(tmp_path / "bot.db", Fernet.generate_key())
    db = make_session_factory(make_engine(url, Cipher([Fernet.generate_key()])))

    with pytest.raises(DecryptionError, match="cannot be decrypted with ENCRYPTION_KEY"):
        read_situation(db)


def test_a_new_key_put_first_re_encrypts_everything_so_the_old_key_can_go(
    tmp_path: Path,
) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    url = a_database_with_a_case(tmp_path / "bot.db", old)
    before = stored_situation(url)

    assert prepare_database(make_engine(url, Cipher([new, old]))) is True
    assert prepare_database(make_engine(url, Cipher([new, old]))) is False

    assert stored_situation(url) != before
    assert read_situation(make_session_factory(make_engine(url, Cipher([new])))) == SECRET
    with pytest.raises(DecryptionError):
        prepare_database(make_engine(url, Cipher([old])))


def test_cases_written_before_encryption_are_encrypted_by_the_upgrade(tmp_path: Path) -> None:
    key = Fernet.generate_key()
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url, Cipher([key]))
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO groups (id, channel_id, name, cadence_weeks, meeting_minutes, "
                "language, timezone, ground_rules, case_request_days, agenda_hours, "
                "soon_minutes, follow_up_days, auto_advance, created_at, updated_at) VALUES "
                "(1, 'C1', 'Noord', 8, 120, 'nl', 'Europe/Amsterdam', '', 7, 24, 15, 3, 1, "
                ":now, :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
        connection.execute(
            text(
                "INSERT INTO cases (group_id, owner_id, title, situation, question, kind, "
                "urgency, status, created_at, updated_at) VALUES (1, 'U1', 'Klacht', :secret, "
                "'Wat doe ik?', 'incident', 'normal', 'submitted', :now, :now)"
            ),
            {"secret": SECRET, "now": NOW.replace(tzinfo=None)},
        )

    prepare_database(engine)

    assert SECRET not in stored_situation(url)
    assert read_situation(make_session_factory(engine)) == SECRET


def test_without_a_key_a_local_key_file_is_made_once_and_then_reused(
    fake_slack: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(fake_slack, f"sqlite:///{tmp_path / 'bot.db'}", encryption_keys=())
    caplog.set_level(logging.WARNING, logger="bot.keys")

    first = cipher_for(settings)
    second = cipher_for(settings)

    key_file = tmp_path / "bot.db.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert second.decrypt(first.encrypt(SECRET)) == SECRET
    generated = [r for r in caplog.records if "generated a new key" in r.getMessage()]
    assert len(generated) == 1 and str(key_file) in generated[0].getMessage()


def test_a_damaged_key_file_is_explained(fake_slack: FakeSlack, tmp_path: Path) -> None:
    (tmp_path / "bot.db.key").write_text("not a key\n")
    settings = settings_for(fake_slack, f"sqlite:///{tmp_path / 'bot.db'}", encryption_keys=())

    with pytest.raises(ConfigError, match=r"bot.db.key does not hold a valid key"):
        cipher_for(settings)


def test_a_missing_setting_stops_the_bot_before_any_key_file_is_made(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = bot_env(fake_slack, f"sqlite:///{tmp_path / 'bot.db'}")
    del env["ENCRYPTION_KEY"]
    del env["SLACK_BOT_TOKEN"]

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert not (tmp_path / "bot.db.key").exists(), "settings are checked before a key is made"
