"""Members answer by replying in the case's thread: during a collection round a reply counts
exactly like advice added with the button; the case owner is reminded, once a phase, that a
round is for listening; and nothing else said in the channel is kept."""

from __future__ import annotations

import itertools
import logging

import pytest
from sqlalchemy import select

from storage.models import CaseRun, Contribution, ProcessedEvent
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD
from tests.test_async_case import Story, a_story, utc
from tests.test_live_session import (
    a_meeting_day,
    at_the_solutions,
    click,
    start_meeting,
    thread,
    tick,
)

_moments = itertools.count(1)


@pytest.fixture
def meeting_day(bot: Bot) -> Bot:
    return a_meeting_day(bot)


@pytest.fixture
def story(bot: Bot) -> Story:
    return a_story(bot)


def new_ts() -> str:
    return f"1764000000.{next(_moments):06d}"


def case_thread(bot: Bot) -> str:
    with bot.db() as session:
        parent = session.scalars(select(CaseRun.parent_ts).where(CaseRun.status == "running"))
        return str(parent.one())


def reply(bot: Bot, user: str, text: str, *, in_thread: bool = True, ts: str = "") -> str:
    """`user` replies in the case's thread (or writes in the channel); the reply's ts."""
    ts = ts or new_ts()
    event = {"type": "message", "channel": NOORD, "user": user, "text": text, "ts": ts}
    if in_thread:
        event["thread_ts"] = case_thread(bot)
    bot.slack.event({**event, "channel_type": "group", "event_ts": ts})
    return ts


def edit(bot: Bot, user: str, ts: str, text: str) -> None:
    message = {"type": "message", "user": user, "ts": ts, "thread_ts": case_thread(bot)}
    bot.slack.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": NOORD,
            "ts": new_ts(),
            "message": {**message, "text": text, "edited": {"user": user, "ts": new_ts()}},
            "previous_message": {**message, "text": "(before)"},
        }
    )


def delete(bot: Bot, user: str, ts: str) -> None:
    bot.slack.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": NOORD,
            "ts": new_ts(),
            "deleted_ts": ts,
            "previous_message": {
                "type": "message",
                "user": user,
                "ts": ts,
                "thread_ts": case_thread(bot),
                "text": "(gone)",
            },
        }
    )


def stored(bot: Bot) -> list[str]:
    with bot.db() as session:
        return list(session.scalars(select(Contribution.text).order_by(Contribution.id)))


def reminders(bot: Bot) -> list[Call]:
    return bot.fake.calls_to("chat.postEphemeral")


def test_replies_in_the_thread_count_like_advice_added_with_the_button(
    meeting_day: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = at_the_solutions(meeting_day)
    caplog.set_level(logging.DEBUG)

    dev = reply(bot, DEV, "Put the deadlines in the contract &amp; say what a change costs.")
    bot.slack.event(  # Slack did not hear back in time and delivers the same reply again
        {
            "type": "message",
            "channel": NOORD,
            "user": DEV,
            "text": "Put the deadlines in the contract &amp; say what a change costs.",
            "ts": dev,
            "thread_ts": case_thread(bot),
        }
    )
    chloe = reply(bot, CHLOE, "Ask what drives the changes.")
    click(bot, ANNA, "run_add")
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    assert (
        bot.slack.submit(ANNA, view, fill(view, text="Agree on deadlines in writing.")).body == ""
    )
    edit(bot, CHLOE, chloe, "Ask what *really* drives the changes.")
    oops = reply(bot, DEV, "Sorry, wrong thread.")
    delete(bot, DEV, oops)
    reply(bot, CHLOE, "Coffee anyone?", in_thread=False)
    bot.slack.event(
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B0OTHER",
            "channel": NOORD,
            "text": "Build passed",
            "ts": new_ts(),
            "thread_ts": case_thread(bot),
        }
    )

    bot.fake.wait_for("chat.update", lambda c: "3 added so far" in c.all_text)
    assert stored(bot) == [
        "Put the deadlines in the contract & say what a change costs.",
        "Ask what *really* drives the changes.",
        "Agree on deadlines in writing.",
    ]
    for minutes in (10, 6, 6):
        tick(bot, minutes)

    # The round's own prompt is edited to show the list: no new message in the thread.
    listed = next(
        c for c in bot.fake.calls_to("chat.update") if "Advice collected in Solutions" in c.all_text
    )
    assert listed["text"] == "Phase 4/6 · Solutions (10 min)"
    assert not [c for c in thread(bot) if "collected in" in c.all_text]
    [collected] = [
        b["text"]["text"] for b in listed["blocks"] if "Advice collected" in str(b.get("text"))
    ]
    bullets = [line for line in collected.splitlines() if line.startswith("• ")]
    assert bullets == [
        "• Put the deadlines in the contract &amp; say what a change costs.",
        "• Ask what *really* drives the changes.",
        "• Agree on deadlines in writing.",
    ]
    summary = bot.fake.wait_for(
        "chat.postMessage",
        lambda c: c["channel"] == BRAM and "Alles wat de groep je gaf" in c.all_text,
    )[0]
    for advice in ("say what a change costs", "really* drives", "deadlines in writing"):
        assert advice in summary.all_text
    assert "wrong thread" not in summary.all_text
    assert "Coffee" not in summary.all_text and "Build passed" not in summary.all_text
    with bot.db() as session:
        handled = session.scalars(select(ProcessedEvent.event_id)).all()
    assert [e for e in handled if e.startswith("Ev")] == [], "no trace of the messages"
    logged = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith(("bot", "handlers"))
    )
    for said in ("contract", "drives", "wrong thread", "Coffee", "Build passed"):
        assert said not in logged, "nothing anyone wrote is logged, not even at DEBUG"


def test_an_edit_after_the_list_was_posted_changes_nothing(meeting_day: Bot) -> None:
    bot = at_the_solutions(meeting_day)
    dev = reply(bot, DEV, "Put the deadlines in the contract.")
    tick(bot, 10)  # Solutions ends: its list is posted

    edit(bot, DEV, dev, "Something else entirely.")
    delete(bot, DEV, dev)

    assert stored(bot) == ["Put the deadlines in the contract."]


def test_the_case_owner_who_replies_while_the_group_thinks_aloud_is_reminded_once(
    meeting_day: Bot,
) -> None:
    bot = meeting_day
    start_meeting(bot)
    for minutes in (5, 15):
        tick(bot, minutes)  # the diagnosis: the group thinks aloud, Bram listens

    reply(bot, BRAM, "But the client is really nice!")
    reply(bot, BRAM, "And pays on time.")

    [reminder] = reminders(bot)
    assert reminder["channel"] == NOORD and reminder["user"] == BRAM
    assert reminder["thread_ts"] == case_thread(bot)
    assert reminder["text"].startswith(  # Bram's Slack is Dutch
        ":ear: Alleen jij ziet dit: Diagnose is een ronde om te luisteren"
    )
    assert "Jouw beurt komt in de fase _Keuze van de inbrenger_." in reminder["text"]
    assert stored(bot) == [], "the owner's replies are not contributions"
    assert not [c for c in bot.fake.calls_to("chat.delete")], "nothing is deleted"

    tick(bot, 8)  # Solutions: he listens again, and hears it once more
    reply(bot, BRAM, "Hm.")
    assert len(reminders(bot)) == 2
    assert "in de fase _Keuze van de inbrenger_" in reminders(bot)[1]["text"], "not Solutions"
    assert stored(bot) == []


def test_a_reply_outside_a_collection_round_is_not_kept(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)  # the incident: Bram tells, nobody collects anything

    reply(bot, DEV, "Interesting!")
    reply(bot, BRAM, "Thanks.")

    assert stored(bot) == []
    assert reminders(bot) == []


def test_in_an_asynchronous_round_a_thread_reply_counts_and_its_writer_is_not_nudged(
    story: Story,
) -> None:
    bot = story.bot
    story.act(lambda: bot.slack.command(ANNA, NOORD, "start async"))
    story.wake()
    story.wake()
    assert story.prompts()[-1] == "Phase 3/6 · Diagnosis (1 day)"

    bot.clock.set(utc(7, 14, 10))
    reply(bot, ANNA, "Maybe the client is under pressure too.")
    nudges = story.wake()

    assert [c["channel"] for c in nudges if c["channel"] != NOORD] == [DEV], "Anna replied"
    assert "1 member has not added theirs yet" in nudges[0].all_text
    bot.clock.set(utc(8, 13))
    reply(bot, DEV, "It could be about who owns the planning.")
    closing = story.wake()
    assert not [c for c in closing if "Contributions in" in c.all_text], "the prompt is edited"
    listed = next(
        c for c in bot.fake.calls_to("chat.update") if "Contributions in Diagnosis" in c.all_text
    )
    assert "• Maybe the client is under pressure too." in listed.all_text
    assert "• It could be about who owns the planning." in listed.all_text
