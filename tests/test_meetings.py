"""Stories about planning, moving and cancelling meetings, and finding a date together."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from storage.models import Meeting, Proposal, ProposalVote, Reminder
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, NOORD, OSCAR
from tests.stories import given_group, open_modal, schedule

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEC_1 = datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM)


def invite_in_thread_of(bot: Bot, announcement_ts: str) -> Calendar:
    done = bot.fake.wait_for(
        "files.completeUploadExternal", lambda c: c.get("thread_ts") == announcement_ts
    )[0]
    file_id = done["files"][0]["id"]
    return Calendar.from_ical(bot.fake.uploads[file_id])


def announcement(bot: Bot, words: str, count: int = 1) -> Call:
    return bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == NOORD and words in c.all_text, count
    )[count - 1]


def reminders(bot: Bot) -> dict[str, tuple[datetime, str]]:
    with bot.db() as session:
        return {r.kind: (r.due_at, r.status) for r in session.scalars(select(Reminder))}


def test_anna_plans_a_meeting_and_everyone_sees_it_in_their_own_time_zone(bot: Bot) -> None:
    given_group(bot.db, bot.clock())

    reply = schedule(bot, ANNA, DEC_1, where="https://meet.example/noord")

    assert reply.body == ""
    posted = announcement(bot, "Meeting planned for Noord")
    stamp = int(DEC_1.timestamp())
    assert (
        f"<!date^{stamp}^{{date_long_pretty}} at {{time}}|2026-12-01 19:30 (Europe/Amsterdam)>"
        in posted.all_text
    )
    assert "https://meet.example/noord" in posted.all_text
    assert "*Case slots:* 2" in posted.all_text
    event = invite_in_thread_of(bot, first_ts(bot)).walk("VEVENT")[0]
    assert event["DTSTART"].dt == DEC_1
    assert event["DTEND"].dt == DEC_1 + timedelta(minutes=120)
    assert int(event["SEQUENCE"]) == 0
    assert event["LOCATION"] == "https://meet.example/noord"


def test_planning_a_meeting_promises_every_reminder(bot: Bot) -> None:
    given_group(bot.db, bot.clock())

    schedule(bot, ANNA, DEC_1)
    announcement(bot, "Meeting planned")

    assert reminders(bot) == {
        "case_request": (datetime(2026, 11, 24, 18, 30, tzinfo=UTC), "pending"),
        "agenda": (datetime(2026, 11, 30, 18, 30, tzinfo=UTC), "pending"),
        "soon": (datetime(2026, 12, 1, 18, 15, tzinfo=UTC), "pending"),
        "start": (datetime(2026, 12, 1, 18, 30, tzinfo=UTC), "pending"),
        "next": (datetime(2026, 12, 1, 20, 30, tzinfo=UTC), "pending"),
        "follow_up": (datetime(2026, 11, 28, 18, 30, tzinfo=UTC), "pending"),
        "evaluation": (datetime(2026, 12, 1, 20, 30, tzinfo=UTC), "pending"),
        "takeaway_nudge": (datetime(2026, 12, 3, 20, 30, tzinfo=UTC), "pending"),
    }


def test_a_time_in_the_past_gets_a_field_error_and_keeps_what_was_typed(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    view = open_modal(bot, CHLOE, "schedule")

    reply = bot.slack.submit(
        CHLOE, view, fill(view, start=bot.clock() - timedelta(hours=1), length="60")
    )

    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"] == {
        "start": "That moment has already passed: pick a time in the future.",
        "length": "A meeting takes from 90 to 480 minutes.",
    }
    with bot.db() as session:
        assert session.scalars(select(Meeting)).all() == []


def test_someone_outside_the_group_cannot_plan_its_meetings(bot: Bot) -> None:
    given_group(bot.db, bot.clock())

    bot.slack.command(OSCAR, NOORD, "schedule")

    [answer] = bot.fake.wait_for("response_url")
    assert "Only its members" in answer.all_text
    assert bot.fake.calls_to("views.open") == []


def meeting_id(bot: Bot) -> int:
    with bot.db() as session:
        return session.scalars(select(Meeting.id)).one()


def test_bram_reschedules_and_the_same_calendar_entry_moves_with_every_reminder(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    schedule(bot, ANNA, DEC_1, where="Utrecht")
    announcement(bot, "Meeting planned")
    first_uid = str(invite_in_thread_of(bot, first_ts(bot)).walk("VEVENT")[0]["UID"])

    bot.slack.command(BRAM, NOORD, "meetings")
    [listing] = bot.fake.wait_for("response_url")
    assert "Komende bijeenkomsten van Noord" in listing.all_text  # Bram reads Dutch
    bot.slack.click(BRAM, "meeting_reschedule", str(meeting_id(bot)), channel=NOORD)
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    assert fill(view)["where"]["where"]["value"] == "Utrecht"
    later = DEC_1 + timedelta(days=7)
    bot.slack.submit(BRAM, view, fill(view, start=later))

    moved = announcement(bot, "Meeting moved for Noord")
    assert f"<@{BRAM}>" in moved.all_text
    event = latest_invite(bot).walk("VEVENT")[0]
    assert str(event["UID"]) == first_uid
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == later
    assert reminders(bot)["agenda"] == (datetime(2026, 12, 7, 18, 30, tzinfo=UTC), "pending")


def first_ts(bot: Bot) -> str:
    return str(bot.fake.wait_for("files.completeUploadExternal")[0]["thread_ts"])


def latest_invite(bot: Bot, count: int = 2) -> Calendar:
    done = bot.fake.wait_for("files.completeUploadExternal", count=count)[-1]
    return Calendar.from_ical(bot.fake.uploads[done["files"][0]["id"]])


def test_chloe_cancels_and_the_invite_removes_it_and_reminders_are_called_off(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    schedule(bot, ANNA, DEC_1)
    announcement(bot, "Meeting planned")
    bot.fake.wait_for("files.completeUploadExternal")

    bot.slack.click(CHLOE, "meeting_cancel", str(meeting_id(bot)), channel=NOORD)

    announcement(bot, "Meeting cancelled for Noord")
    calendar = latest_invite(bot)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert {status for _due, status in reminders(bot).values()} == {"cancelled"}
    [listing] = bot.fake.wait_for("response_url")
    assert listing["replace_original"] is True
    assert "No meetings planned" in listing.all_text


def poll_message(bot: Bot) -> Call:
    return bot.fake.wait_for("chat.postMessage", lambda c: "When shall we meet?" in c.all_text)[0]


def buttons(message: dict[str, Any] | Call, action_id: str) -> list[dict[str, Any]]:
    blocks = message["blocks"]
    return [
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]


def test_the_group_finds_a_date_together(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    view = open_modal(bot, ANNA, "propose")
    options = [DEC_1, DEC_1 + timedelta(days=1), DEC_1 + timedelta(days=2)]
    bot.slack.submit(
        ANNA, view, fill(view, option_1=options[0], option_2=options[1], option_3=options[2])
    )

    poll = poll_message(bot)
    assert poll["channel"] == NOORD
    assert poll.all_text.count("Nobody has marked this time yet.") == 3
    votes = buttons(poll, "poll_vote")

    bot.slack.click(BRAM, "poll_vote", votes[1]["value"], channel=NOORD, message_ts="1")
    [tally] = bot.fake.wait_for("chat.update")
    assert f"1 can make it: <@{BRAM}>" in tally.all_text

    bot.slack.click(CHLOE, "poll_vote", votes[1]["value"], channel=NOORD, message_ts="1")
    bot.fake.wait_for("chat.update", lambda c: "2 can make it" in c.all_text)

    bot.slack.click(CHLOE, "poll_confirm", votes[1]["value"], channel=NOORD, message_ts="1")

    done = bot.fake.wait_for("chat.update", lambda c: "Confirmed by" in c.all_text)[0]
    assert buttons(done, "poll_vote") == []
    announcement(bot, "Meeting planned for Noord")
    with bot.db() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.starts_at == options[1]
        assert meeting.created_by == CHLOE


def test_a_second_click_takes_the_mark_back(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    view = open_modal(bot, ANNA, "propose")
    bot.slack.submit(ANNA, view, fill(view, option_1=DEC_1, option_2=DEC_1 + timedelta(days=1)))
    vote = buttons(poll_message(bot), "poll_vote")[0]["value"]

    bot.slack.click(BRAM, "poll_vote", vote, channel=NOORD, message_ts="1")
    bot.slack.click(BRAM, "poll_vote", vote, channel=NOORD, message_ts="1")

    # Bolt runs each click's work after acknowledging it: wait for what the second one shows.
    bot.fake.wait_for(
        "chat.update", lambda c: c.all_text.count("Nobody has marked this time yet.") == 2
    )


def test_an_outsider_cannot_vote_or_confirm(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    view = open_modal(bot, ANNA, "propose")
    bot.slack.submit(ANNA, view, fill(view, option_1=DEC_1, option_2=DEC_1 + timedelta(days=1)))
    vote = buttons(poll_message(bot), "poll_vote")[0]["value"]

    bot.slack.click(OSCAR, "poll_vote", vote, channel=NOORD, message_ts="1")
    bot.slack.click(OSCAR, "poll_confirm", vote, channel=NOORD, message_ts="1")

    answers = bot.fake.wait_for("response_url", count=2)
    assert all("Only members of this group" in a.all_text for a in answers)
    assert all(a["response_type"] == "ephemeral" for a in answers)
    assert bot.fake.calls_to("chat.update") == []
    with bot.db() as session:
        assert session.scalars(select(Meeting)).all() == []


def test_candidate_times_are_checked(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    view = open_modal(bot, CHLOE, "propose")

    one = bot.slack.submit(CHLOE, view, fill(view, option_1=DEC_1))
    bad = bot.slack.submit(
        CHLOE,
        view,
        fill(view, option_1=DEC_1, option_2=DEC_1, option_3=bot.clock() - timedelta(days=1)),
    )

    assert one.json["errors"] == {"option_2": "Give at least two candidate times to choose from."}
    assert bad.json["errors"] == {
        "option_2": "You gave this time already.",
        "option_3": "That moment has already passed: pick a time in the future.",
    }
    with bot.db() as session:
        assert session.scalars(select(Proposal)).all() == []


def test_quick_double_clicks_on_a_time_toggle_cleanly_without_warnings(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    view = open_modal(bot, ANNA, "propose")
    bot.slack.submit(ANNA, view, fill(view, option_1=DEC_1, option_2=DEC_1 + timedelta(days=1)))
    vote = buttons(poll_message(bot), "poll_vote")[0]["value"]

    def click(user: str) -> int:
        return bot.slack.click(user, "poll_vote", vote, channel=NOORD, message_ts="1").status

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(click, [BRAM, BRAM, CHLOE, CHLOE] * 5))

    assert statuses == [200] * 20
    assert [str(w.message) for w in caught] == []
    with bot.db() as session:
        marked = set(session.scalars(select(ProposalVote.user_id)))
    assert marked <= {BRAM, CHLOE}
