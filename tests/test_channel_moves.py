"""Sharing a private channel with other organisations gives it a new id (G... to C...): the
group, its reminders, its meeting and the messages the bot keeps up to date follow it."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import jobs
from storage.groups import group_in_channel
from storage.models import Reminder
from tests.conftest import Bot
from tests.slackkit.fake_slack import BOT_USER_ID, TEAM_ID, FakeChannel
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD
from tests.stories import given_group, schedule
from tests.test_followup import DEC_1

SHARED = "C0SHARED"


def test_a_group_whose_channel_gets_a_new_id_is_reminded_and_meets_there_once(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")
    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")
    jobs.install(bot.services)

    bot.fake.add_channel(
        FakeChannel(SHARED, "intervisie-noord", True, {BOT_USER_ID, ANNA, BRAM, CHLOE, DEV})
    )
    bot.slack.event(
        {"type": "channel_id_changed", "old_channel_id": NOORD, "new_channel_id": SHARED}
    )

    with bot.db() as session:
        assert group_in_channel(session, TEAM_ID, NOORD) is None
        assert group_in_channel(session, TEAM_ID, SHARED) is not None
        soon = session.scalars(select(Reminder.id).where(Reminder.kind == "soon")).one()
    bot.clock.set(DEC_1 - timedelta(minutes=15))
    jobs.send_reminder(TEAM_ID, soon)
    jobs.send_reminder(TEAM_ID, soon)  # the job fires twice (a retry): one reminder all the same
    bot.clock.set(DEC_1)
    bot.slack.command(ANNA, SHARED, "start")

    reminded = [c for c in bot.fake.messages_in(SHARED) if "starts in a few" in c.all_text]
    assert len(reminded) == 1
    bot.fake.wait_for(  # the start message becomes the opening, in the new channel
        "chat.update", lambda c: c["channel"] == SHARED and "has started" in c.all_text
    )
    after_the_move = [c for c in bot.fake.calls if c.get("channel") == NOORD]
    assert not [
        c for c in after_the_move if "starts in a few" in c.all_text or "has started" in c.all_text
    ]


def test_a_channel_id_change_for_a_channel_without_a_group_changes_nothing(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")

    reply = bot.slack.event(
        {"type": "channel_id_changed", "old_channel_id": "G0ELSEWHERE", "new_channel_id": SHARED}
    )

    assert reply.status == 200
    with bot.db() as session:
        assert group_in_channel(session, TEAM_ID, NOORD) is not None


def test_a_malformed_channel_id_change_moves_nothing_and_is_one_warning(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    given_group(bot.db, bot.clock(), language="en")

    bot.slack.event(
        {"type": "channel_id_changed", "old_channel_id": NOORD, "new_channel_id": "<!channel>"}
    )

    with bot.db() as session:
        assert group_in_channel(session, TEAM_ID, NOORD) is not None
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "BadPayload" in warning.getMessage()
