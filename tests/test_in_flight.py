"""Sends in flight when the process ends or starts: a hundred groups' prompts fall due in the
same second while Slack answers slowly, and the bot is killed (SIGKILL) or stopped (SIGTERM) in
the middle of sending them; the next process sends what was not sent, and nothing twice. And a
bot that starts with work to catch up on answers Slack's requests meanwhile."""

from __future__ import annotations

import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Group
from tests.conftest import SIGNING_SECRET
from tests.crowd import running_cases, seed
from tests.processes import free_port, start_bot_process
from tests.slackkit.fake_slack import BOT_USER_ID, TEAM_ID, Call, FakeChannel, FakeSlack
from tests.slackkit.people import ANNA, NOORD
from tests.slackkit.sender import SlackSender
from tests.test_running_the_bot import bot_env, scheduler_env

GROUPS = 100
SCALE = 60  # the first phase (5 minutes) lasts 5 seconds


def second_prompts(fake: FakeSlack) -> list[Call]:
    """The prompts of the second phase Slack took, one per group's case thread when all is well."""
    return [c for c in fake.calls_to("chat.postMessage") if c["text"].startswith("Phase 2/")]


def every_case_once(fake: FakeSlack) -> None:
    fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 2/"), GROUPS, 60)
    fake.settle(quiet=1.0)
    threads = sorted(c["thread_ts"] for c in second_prompts(fake))
    assert threads == [f"1700000000.{n:06d}" for n in range(GROUPS)], "each case's prompt, once"


def a_hundred_cases_changing_phase_soon(
    fake: FakeSlack, db: sessionmaker[Session], database_url: str, tmp_path: Path
) -> tuple[dict[str, str], int]:
    """A hundred groups' cases whose first phase ends in the same second, some seconds after
    their bot has started; the bot's settings and port."""
    running_cases(fake, db, GROUPS, datetime.now(UTC) + timedelta(seconds=6), 0)
    port = free_port()
    return scheduler_env(fake, database_url, port, SCALE), port


@pytest.mark.xdist_group("processes")
def test_a_bot_killed_while_its_prompts_are_in_flight_loses_and_doubles_none(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    env, port = a_hundred_cases_changing_phase_soon(fake_slack, db, database_url, tmp_path)
    fake_slack.answer_after = 2.0  # Slack takes each call at once and answers it late
    # A hundred threads cut off mid-send take a hundred looks: an app outside Slack's
    # Marketplace gets one a minute (tests/test_doubt.py), an internal app fifty; here Slack
    # lets the bot read them all at once, so the story is about exactly once, not the wait.
    fake_slack.looks_per_minute = None
    bot = start_bot_process(env, tmp_path, port)
    try:
        fake_slack.wait_for(
            "chat.postMessage", lambda c: c["text"].startswith("Phase 2/"), count=5, timeout=30
        )
        in_flight, taken = fake_slack.answering, len(second_prompts(fake_slack))
        bot.send_signal(signal.SIGKILL)
        bot.wait()
        assert in_flight > 0, "Slack had taken prompts the bot never heard it took"
        assert taken < GROUPS, "and others were not sent yet"

        fake_slack.answer_after = 0.0
        bot = start_bot_process(env, tmp_path, port)
        every_case_once(fake_slack)
    finally:
        stop(bot)


@pytest.mark.xdist_group("processes")
def test_a_bot_stopped_with_prompts_queued_exits_and_the_next_sends_the_rest_once(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    env, port = a_hundred_cases_changing_phase_soon(fake_slack, db, database_url, tmp_path)
    bot = start_bot_process(env, tmp_path, port)
    fake_slack.latency = lambda: 0.5  # Slack at a slow moment, as the prompts fall due
    try:
        fake_slack.wait_for(
            "chat.postMessage", lambda c: c["text"].startswith("Phase 2/"), count=1, timeout=30
        )
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(timeout=10) == 0, "it stops in seconds, though prompts were queued"
        assert len(second_prompts(fake_slack)) < GROUPS, "the prompts left were not sent"

        fake_slack.latency = None
        bot = start_bot_process(env, tmp_path, port)
        every_case_once(fake_slack)
    finally:
        stop(bot)


@pytest.mark.xdist_group("processes")
def test_a_bot_starting_with_panels_to_post_answers_slack_meanwhile_and_posts_each_once(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    groups = 30
    seed(db, groups, 0)  # groups from before the panel: it is posted when the bot starts
    with db.begin() as session:
        session.execute(update(Group).values(team_id=TEAM_ID, welcome_ts="1690000000.000100"))
    for g in range(1, groups + 1):
        fake_slack.add_channel(FakeChannel(f"CB{g:07d}", f"group-{g}", True, {BOT_USER_ID}))
    fake_slack.latency = lambda: 0.2
    port = free_port()
    bot = start_bot_process(
        bot_env(fake_slack, database_url, PORT=str(port), RUN_SCHEDULER="true"), tmp_path, port
    )
    try:
        slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
        assert slack.command(ANNA, NOORD, "help").status == 200
        fake_slack.wait_for("response_url")
        assert len(fake_slack.calls_to("pins.add")) < groups, "answered while catching up"

        fake_slack.wait_for("pins.add", count=groups, timeout=60)
        fake_slack.settle(quiet=1.0)
    finally:
        stop(bot)
    panels = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"].startswith("CB")]
    assert sorted(c["channel"] for c in panels) == [f"CB{g:07d}" for g in range(1, groups + 1)]
    assert len(fake_slack.calls_to("pins.add")) == groups


def stop(bot: subprocess.Popen[bytes]) -> None:
    if bot.poll() is None:
        bot.send_signal(signal.SIGTERM)
        bot.wait(timeout=20)
