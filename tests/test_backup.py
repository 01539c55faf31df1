"""A host backs up a running bot's database with the tools README names (sqlite3's `.backup`,
or pg_dump), loses the machine, restores the backup into a fresh database and starts the bot
on it with the key kept apart: the groups are there, the running case goes on with its next
prompt (once) and the cases' encrypted text reads. Without the key, the bot says so and stops."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from storage.crypto import Cipher
from storage.db import make_engine, make_session_factory
from storage.models import Case, Group
from tests.conftest import SIGNING_SECRET, TEST_KEY
from tests.processes import free_port, start_bot_process
from tests.slackkit.fake_slack import FakeSlack
from tests.slackkit.people import ANNA, NOORD
from tests.slackkit.sender import SlackSender
from tests.test_live_restart import PHASES, given_chosen_cases
from tests.test_running_the_bot import scheduler_env


def libpq(url: str) -> str:
    """The URL as PostgreSQL's own tools take it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def back_up(url: str, into: Path) -> None:
    """README's way, while the bot runs."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        subprocess.run(["sqlite3", str(database), f".backup '{into}'"], check=True)
    else:
        command = ["pg_dump", "--format=custom", "--no-owner", f"--file={into}", libpq(url)]
        subprocess.run(command, check=True)


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database on a new machine, of the same kind as the test's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"restored_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def restore(backup: Path, url: str) -> None:
    if url.startswith("sqlite"):
        database = make_url(url).database
        subprocess.run(["sqlite3", str(database), f".restore '{backup}'"], check=True)
    else:
        command = ["pg_restore", "--no-owner", f"--dbname={libpq(url)}", str(backup)]
        subprocess.run(command, check=True)


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 tool README names")
@pytest.mark.xdist_group("processes")
def test_a_backup_restored_on_a_new_machine_goes_on_where_the_meeting_was(
    fake_slack: FakeSlack,
    db: sessionmaker[Session],
    database_url: str,
    fresh_url: str,
    tmp_path: Path,
) -> None:
    given_chosen_cases(db)
    port = free_port()
    bot = start_bot_process(scheduler_env(fake_slack, database_url, port, 120), tmp_path, port)
    slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
    try:
        slack.command(ANNA, NOORD, "start")
        fake_slack.wait_for("chat.postMessage", lambda c: c.get("text") == PHASES[1], timeout=20)
        backup = tmp_path / "intervisie.backup"
        back_up(database_url, backup)
    finally:
        bot.send_signal(signal.SIGTERM)  # the machine is lost
        bot.wait(timeout=20)
    restore(backup, fresh_url)

    without = scheduler_env(fake_slack, fresh_url, free_port(), 120)
    del without["ENCRYPTION_KEY"]
    refused = subprocess.run(
        [sys.executable, "-m", "bot"], env=without, cwd=tmp_path, capture_output=True, text=True
    )
    assert refused.returncode == 2
    said_last = refused.stderr.strip().splitlines()[-1]
    assert said_last.startswith("intervisie-bot: ENCRYPTION_KEY"), refused.stderr

    port = free_port()
    restored = start_bot_process(scheduler_env(fake_slack, fresh_url, port, 120), tmp_path, port)
    try:
        fake_slack.wait_for("chat.postMessage", lambda c: c.get("text") == PHASES[2], timeout=30)
    finally:
        restored.send_signal(signal.SIGTERM)
        restored.wait(timeout=20)
    said = [c.get("text") for c in fake_slack.calls_to("chat.postMessage")]
    assert said.count(PHASES[2]) == 1
    assert said.count(PHASES[1]) == 1
    engine = make_engine(fresh_url, Cipher([TEST_KEY]))
    with make_session_factory(engine)() as session:
        assert session.scalars(select(Group.name)).all() == ["Noord"]
        assert session.scalars(select(Case.situation)).all() == ["A client keeps moving deadlines."]
    engine.dispose()
