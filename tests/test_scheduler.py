"""The scheduler keeps its promises across restarts, and only one process runs it."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot import jobs
from bot.app import create_services
from rendering.i18n import Translator
from rendering.meeting_modal import meeting_modal
from storage.groups import get_group
from storage.models import CaseRun, Meeting
from tests.conftest import SIGNING_SECRET, settings_for
from tests.processes import free_port, start_bot_process
from tests.slackkit.fake_slack import FakeSlack
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, NOORD
from tests.slackkit.sender import SlackSender
from tests.stories import given_group
from tests.test_live_restart import given_chosen_cases
from tests.test_running_the_bot import bot_env
from usecases.clock import utc_now
from usecases.live.opening import open_meeting
from usecases.meetings import MeetingPlan, plan_meeting
from usecases.services import Services


def wait_until(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def job_ids(services: Services) -> set[str]:
    return {job.id for job in services.scheduler._scheduler.get_jobs()}


@pytest.fixture
def schedulers(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str
) -> Iterator[list[Services]]:
    started: list[Services] = []
    yield started
    for services in started:
        services.scheduler.stop()


def start_scheduler(
    fake: FakeSlack,
    db: sessionmaker[Session],
    database_url: str,
    started: list[Services],
    install: bool = True,
) -> Services:
    """A scheduler as a bot process starts it; `install`: the jobs run with its services (one
    process has one; a story with two in one process installs the one that leads)."""
    settings = settings_for(fake, database_url, run_scheduler=True)
    services = create_services(settings, db, utc_now)
    if install:
        jobs.install(services)
    services.scheduler.start()
    started.append(services)
    return services


def test_every_pending_reminder_has_a_job_and_cancelled_ones_are_removed(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, schedulers: list[Services]
) -> None:
    now = utc_now()
    group_id = given_group(db, now)
    with db.begin() as session:
        group = get_group(session, group_id)
        assert group is not None
        meeting = plan_meeting(
            session, group, MeetingPlan(now + timedelta(days=10), 120, "", 2), ANNA, now
        )
        reminder_ids = {r.kind: r.id for r in meeting.reminders}

    services = start_scheduler(fake_slack, db, database_url, schedulers)
    wait_until(lambda: services.scheduler.leading)
    services.scheduler.sync()

    housekeeping = {"reconcile", "retention", "reviews"}
    expected = housekeeping | {f"reminder:{i}" for i in reminder_ids.values()}
    assert job_ids(services) - {"panels"} == expected  # "panels" runs once at the start
    with db.begin() as session:
        session.execute(text("UPDATE reminders SET status = 'cancelled' WHERE kind = 'agenda'"))
    services.scheduler.sync()
    assert f"reminder:{reminder_ids['agenda']}" not in job_ids(services)


def test_the_leader_gives_a_group_from_before_the_panel_its_panel_once(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, schedulers: list[Services]
) -> None:
    given_group(db, utc_now())

    services = start_scheduler(fake_slack, db, database_url, schedulers)

    [panel] = fake_slack.wait_for("chat.postMessage", lambda c: "panel:case" in str(c.params))
    assert panel["channel"] == NOORD
    fake_slack.wait_for("pins.add")
    wait_until(lambda: "panels" not in job_ids(services))
    services.scheduler.sync()
    assert len([c for c in fake_slack.calls_to("chat.postMessage") if c is not panel]) == 0


# With the stories that kill processes: in a worker where other stories ran in-process
# schedulers, it has seen the lease held (see the stop 21 note on #16).
@pytest.mark.xdist_group("processes")
def test_only_one_process_runs_the_scheduler_and_another_takes_over_when_it_stops(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, schedulers: list[Services]
) -> None:
    first = start_scheduler(fake_slack, db, database_url, schedulers)
    wait_until(lambda: first.scheduler.leading)
    second = start_scheduler(fake_slack, db, database_url, schedulers, install=False)
    time.sleep(1.5)
    assert not second.scheduler.leading

    first.scheduler.stop()
    jobs.install(second)

    wait_until(lambda: second.scheduler.leading, timeout=60)  # generous: a loaded machine
    assert not first.scheduler.leading


# Stories that kill and restart bot processes against the clock share one worker.
@pytest.mark.xdist_group("processes")
def test_a_reminder_survives_kill_9_and_is_sent_once_after_the_restart(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    given_group(db, utc_now(), soon_minutes=1)
    port = free_port()
    env = bot_env(fake_slack, database_url, PORT=str(port), RUN_SCHEDULER="true")

    def start_bot() -> subprocess.Popen[bytes]:
        return start_bot_process(env, tmp_path, port)

    bot = start_bot()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=66)
    with db() as session:
        group = session.scalars(text("SELECT id FROM groups")).one()
    view = meeting_modal(
        Translator("en"),
        group_id=group,
        meeting_id=None,
        start=None,
        minutes=120,
        location="Zoom",
        case_slots=None,
    )
    slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
    slack.submit(ANNA, view, fill(view, start=start))
    fake_slack.wait_for("chat.postMessage", lambda c: "Meeting planned" in c.all_text)

    os.kill(bot.pid, signal.SIGKILL)
    bot.wait()
    while datetime.now(UTC) < start - timedelta(seconds=59):
        time.sleep(0.2)
    assert not [c for c in fake_slack.messages_in(NOORD) if "starts in a few" in c.all_text]

    bot = start_bot()
    try:
        fake_slack.wait_for(
            "chat.postMessage", lambda c: "starts in a few minutes" in c.all_text, timeout=30
        )
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=20) == 0
        bot = start_bot()
        time.sleep(3)
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(timeout=20)

    soon = [c for c in fake_slack.messages_in(NOORD) if "starts in a few minutes" in c.all_text]
    assert len(soon) == 1


def test_a_leader_cut_off_from_postgresql_stops_before_another_takes_over(
    fake_slack: FakeSlack,
    db: sessionmaker[Session],
    database_url: str,
    schedulers: list[Services],
    caplog: pytest.LogCaptureFixture,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the lead on SQLite is a file lock on one host: no network between them")
    caplog.set_level(logging.INFO, logger="bot.scheduler")
    first = start_scheduler(fake_slack, db, database_url, schedulers)
    wait_until(lambda: first.scheduler.leading)
    second = start_scheduler(fake_slack, db, database_url, schedulers, install=False)

    # The network between the leader and PostgreSQL fails: the server ends its connection.
    with db.begin() as session:
        ended = session.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
                " AND granted AND database = (SELECT oid FROM pg_database"
                " WHERE datname = current_database())"
            )
        )
    assert ended == 1

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "bot.scheduler"]

    # The new leader says so once its jobs are in place (a moment after it leads).
    wait_until(lambda: sum("runs the reminder scheduler" in line for line in said()) == 2)
    assert second.scheduler.leading and not first.scheduler.leading
    lines = said()
    stopped = lines.index("this process no longer leads the scheduler; it stops its jobs")
    took_over = max(i for i, line in enumerate(lines) if "runs the reminder scheduler" in line)
    assert stopped < took_over, "the old leader stopped before the new one began"


def test_an_idle_scheduler_writes_no_log_line_and_hardly_asks_the_database(
    fake_slack: FakeSlack,
    db: sessionmaker[Session],
    database_url: str,
    schedulers: list[Services],
    caplog: pytest.LogCaptureFixture,
) -> None:
    services = start_scheduler(fake_slack, db, database_url, schedulers)
    wait_until(lambda: services.scheduler.leading)
    housekeeping = services.scheduler._scheduler.get_jobs
    wait_until(lambda: all(job.next_run_time > utc_now() for job in housekeeping()))
    # The jobs of the start (retention, the panels) have finished, not just begun.
    running = services.scheduler._scheduler._executors["default"]._instances
    wait_until(lambda: not any(running.values()))
    statements: list[str] = []
    engine = db.kw["bind"]

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    caplog.clear()
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.WARNING, logger="apscheduler")  # as the bot sets it
    try:
        time.sleep(10)
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert caplog.records == []
    assert len(statements) <= 2


def test_a_timer_changed_by_another_process_is_acted_on_at_once(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, schedulers: list[Services]
) -> None:
    leader = start_scheduler(fake_slack, db, database_url, schedulers)
    wait_until(lambda: leader.scheduler.leading)
    other = start_scheduler(fake_slack, db, database_url, schedulers, install=False)
    given_chosen_cases(db)
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()

    started = time.monotonic()
    other.scheduler.sync()  # e.g. a meeting planned through the other process
    wait_until(lambda: any(job.startswith("reminder:") for job in job_ids(leader)))
    assert time.monotonic() - started < 2, "told, not found by the minute's reconcile"

    open_meeting(other, meeting_id, ANNA)  # the other process starts the first case
    with db() as session:
        run_id = session.scalars(select(CaseRun.id).where(CaseRun.status == "running")).one()
    wait_until(lambda: f"run:{run_id}" in job_ids(leader), timeout=2)
