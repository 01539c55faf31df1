"""When Slack's answer is lost (it took the call, then answered 500, or the connection dropped
after the request went out), the bot does not know whether Slack has the message. It looks
before sending again, never resends blind, and its looks fit an app outside Slack's
Marketplace: one a minute per workspace, 15 messages a page, from the claim on, and one look
per conversation for every doubtful message in it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, update

from storage.models import CaseRun, Group
from tests.conftest import Bot
from tests.slackkit.fake_slack import FakeSlack
from tests.slackkit.people import ANNA, BRAM, CHLOE, NOORD
from tests.stories import given_group
from tests.test_live_session import a_meeting_day, run_id, start_meeting, tick
from usecases.delivery import Outcome, send_once
from usecases.groups import publish_welcome

A_MINUTE = timedelta(minutes=1, seconds=1)  # Slack allows the next look


@pytest.fixture
def meeting_day(bot: Bot) -> Bot:
    return a_meeting_day(bot)


def parent_ts(bot: Bot) -> str:
    """The case's parent message: its thread."""
    with bot.db() as session:
        return str(session.scalars(select(CaseRun.parent_ts)).one())


def said(fake: FakeSlack, text: str) -> int:
    """How many times members see a message with this text."""
    return sum(1 for m in fake.posted if m.get("text") == text)


@pytest.mark.parametrize("how", ["500", "drop"])
def test_a_prompt_whose_answer_is_lost_is_in_the_thread_once(meeting_day: Bot, how: str) -> None:
    bot = meeting_day
    start_meeting(bot)
    bot.fake.lose_answer("chat.postMessage", how)

    tick(bot, 5)  # Slack takes the Information round's prompt; its answer is lost
    bot.clock.advance(A_MINUTE)
    tick(bot, 0)  # the case's timer comes back: the bot looks, finds it, goes on

    assert said(bot.fake, "Phase 2/6 · Information round (15 min)") == 1
    [look] = bot.fake.calls_to("conversations.replies")
    assert str(look["limit"]) == "15"
    tick(bot, 15)
    assert said(bot.fake, "Phase 3/6 · Diagnosis (8 min)") == 1


def test_a_doubtful_prompt_newest_of_40_in_its_thread_is_found_in_one_look_of_15(
    meeting_day: Bot,
) -> None:
    bot = meeting_day
    start_meeting(bot)
    parent = parent_ts(bot)
    members = WebClient(token="xoxb-test-token", base_url=bot.fake.api_url)
    for n in range(37):  # the group talks in the thread: with the parent and the first
        members.chat_postMessage(channel=NOORD, thread_ts=parent, text=f"reply {n}")
    bot.fake.lose_answer("chat.postMessage")  # prompt, the doubtful one is the 40th

    tick(bot, 5)
    bot.clock.advance(A_MINUTE)
    tick(bot, 0)

    assert said(bot.fake, "Phase 2/6 · Information round (15 min)") == 1
    in_thread = [m for m in bot.fake.posted if parent in (m["ts"], m["thread_ts"])]
    assert len(in_thread) == 40
    [look] = bot.fake.calls_to("conversations.replies")
    assert str(look["limit"]) == "15"
    assert float(look["oldest"]) > float(parent), "from the claim on, not the whole thread"


def two_doubtful_replies(bot: Bot, parent_ts: str) -> list[Outcome]:
    outcomes = []
    for n in (1, 2):
        outcomes.append(
            send_once(
                bot.services,
                f"test:reply:{n}",
                lambda n=n: bot.services.client.chat_postMessage(
                    channel=NOORD, thread_ts=parent_ts, text=f"Doubtful {n}"
                ),
            )
        )
    return outcomes


def test_two_doubtful_messages_in_one_thread_cost_one_look(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)
    bot.fake.lose_answer("chat.postMessage", times=2)

    first = two_doubtful_replies(bot, parent_ts(bot))
    bot.clock.advance(A_MINUTE)
    again = two_doubtful_replies(bot, parent_ts(bot))

    assert first == [Outcome.RETRY, Outcome.RETRY]
    assert again == [Outcome.SENT, Outcome.SENT]
    assert (said(bot.fake, "Doubtful 1"), said(bot.fake, "Doubtful 2")) == (1, 1)
    assert len(bot.fake.calls_to("conversations.replies")) == 1


def test_a_look_slack_refuses_waits_and_posts_nothing_meanwhile(meeting_day: Bot) -> None:
    bot = meeting_day
    bot.fake.lose_answer("chat.postMessage", times=2)

    def dm(member: str) -> Outcome:
        return send_once(
            bot.services,
            f"test:dm:{member}",
            lambda: bot.services.client.chat_postMessage(channel=member, text=f"For {member}"),
        )

    assert (dm(BRAM), dm(CHLOE)) == (Outcome.RETRY, Outcome.RETRY)  # both answers lost
    bot.clock.advance(A_MINUTE)

    assert dm(BRAM) is Outcome.SENT  # this minute's look, in Bram's DM
    bot.clock.advance(timedelta(seconds=59))
    assert dm(CHLOE) is Outcome.RETRY, "the look in Chloe's DM must wait for the next minute"
    assert said(bot.fake, f"For {CHLOE}") == 1, "Slack has it once; nothing went meanwhile"

    bot.clock.advance(timedelta(seconds=2))
    outcome, deadline = dm(CHLOE), time.monotonic() + 10
    while outcome is Outcome.RETRY and time.monotonic() < deadline:  # Slack's Retry-After: 1 s
        time.sleep(0.1)
        outcome = dm(CHLOE)
    assert outcome is Outcome.SENT
    assert (said(bot.fake, f"For {BRAM}"), said(bot.fake, f"For {CHLOE}")) == (1, 1)
    refused = [c for c in bot.fake.calls if c.method == "conversations.history" and c.failed]
    assert len(refused) >= 1


def test_a_summary_dm_whose_answer_is_lost_reaches_the_owner_once(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)
    bot.fake.lose_answer("chat.postMessage", "drop")

    outcome = send_once(
        bot.services,
        f"run:{run_id(bot)}:summary-test",
        lambda: bot.services.client.chat_postMessage(channel=BRAM, text="What the group gave"),
    )
    bot.clock.advance(A_MINUTE)
    again = send_once(
        bot.services,
        f"run:{run_id(bot)}:summary-test",
        lambda: bot.services.client.chat_postMessage(channel=BRAM, text="What the group gave"),
    )

    assert (outcome, again) == (Outcome.RETRY, Outcome.SENT)
    assert said(bot.fake, "What the group gave") == 1


def test_a_welcome_whose_answer_is_lost_is_posted_and_pinned_once(bot: Bot) -> None:
    group_id = given_group(bot.db, bot.clock(), language="en")
    with bot.db.begin() as session:
        session.execute(update(Group).values(welcome_ts=None))  # set up just now
    bot.fake.lose_answer("chat.postMessage")

    publish_welcome(bot.services, group_id, ANNA, edited=False)
    bot.clock.advance(A_MINUTE)
    publish_welcome(bot.services, group_id, ANNA, edited=False)

    welcomes = [m for m in bot.fake.posted if "Welcome" in str(m.get("text"))]
    assert len(welcomes) == 1
    assert len(bot.fake.calls_to("pins.add")) >= 1


def test_a_form_whose_opening_is_in_doubt_asks_the_person_to_click_again(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    bot.fake.lose_answer("views.open")

    bot.slack.command(CHLOE, NOORD, "schedule")

    [answer] = bot.fake.wait_for("response_url")
    assert "cannot tell whether this went through" in answer.all_text
    assert len(bot.fake.calls_to("views.open")) == 1, "a trigger works once: not tried again"
