"""The end-to-end fault run: a whole meeting of two cases while Slack answers one call in five
with a 429 or a 500, and the bot is killed (SIGKILL) and restarted twice. Every phase prompt
and DM arrives exactly once and in order, and the stored data is complete."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Case, CaseRun, RunMessage, Takeaway
from tests.conftest import SIGNING_SECRET
from tests.processes import free_port, start_bot_process
from tests.slackkit.fake_slack import Call, FakeSlack
from tests.slackkit.people import ANNA, BRAM, CHLOE, DUTCH_SLACK, NOORD
from tests.slackkit.sender import SlackSender
from tests.test_live_restart import PHASES, given_chosen_cases
from tests.test_running_the_bot import scheduler_env


def prompt_seen(fake: FakeSlack, text: str, count: int) -> None:
    fake.wait_for("chat.postMessage", lambda c: c.get("text") == text, count=count, timeout=90)


def summaries_for(fake: FakeSlack, owner: str) -> list[Call]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c["channel"] == owner
        and ("Alles wat de groep je gaf" if owner in DUTCH_SLACK else "Everything the group gave")
        in c.all_text
    ]


# Stories that kill and restart bot processes against the clock share one worker.
@pytest.mark.xdist_group("processes")
def test_a_whole_meeting_survives_a_flaky_slack_and_two_kills(
    fake_slack: FakeSlack, db: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    given_chosen_cases(db, (BRAM, CHLOE))
    port = free_port()
    env = scheduler_env(fake_slack, database_url, port, 240)

    def start_bot() -> subprocess.Popen[bytes]:
        return start_bot_process(env, tmp_path, port)

    def kill(process: subprocess.Popen[bytes]) -> None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    bot = start_bot()
    fake_slack.chaos(0.2)
    # Every 500 leaves a doubt that a look settles. An app outside Slack's Marketplace gets
    # one look a minute (tests/test_doubt.py); a meeting at 240 times its speed would wait
    # minutes for them: here Slack reads conversations as often as for an approved app.
    fake_slack.looks_per_minute = None
    slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
    slack.command(ANNA, NOORD, "start")
    try:
        prompt_seen(fake_slack, PHASES[2], count=1)
        kill(bot)
        bot = start_bot()
        prompt_seen(fake_slack, PHASES[1], count=2)
        kill(bot)
        bot = start_bot()
        fake_slack.wait_for(
            "chat.postMessage", lambda c: "Closing round: Noord" in c.all_text, timeout=120
        )
        fake_slack.settle(quiet=1.0)
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(timeout=20)

    assert [c for c in fake_slack.calls if c.failed], "Slack did misbehave"
    said = [c.get("text") or "" for c in fake_slack.calls_to("chat.postMessage")]
    assert [text for text in said if text.startswith("Phase ")] == PHASES + PHASES
    assert sum(1 for text in said if "has started" in text) == 1
    assert sum(1 for text in said if text.startswith("Closing round")) == 1
    assert len(summaries_for(fake_slack, BRAM)) == 1
    assert len(summaries_for(fake_slack, CHLOE)) == 1
    with db() as session:
        assert set(session.scalars(select(CaseRun.status))) == {"done"}
        assert set(session.scalars(select(Case.status))) == {"discussed"}
        assert session.scalar(select(func.count(Takeaway.id))) == 2
        unsent = select(func.count(RunMessage.id)).where(RunMessage.sent_at.is_(None))
        assert session.scalar(unsent) == 0
