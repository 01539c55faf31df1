"""Stories about reminders: each sent once, on time or late while still useful, in the group's
language. The clock is the test's; the scheduler's job functions are called as APScheduler would."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import jobs
from bot.app import create_services
from storage.models import Meeting, Reminder
from tests.conftest import Bot, settings_for
from tests.slackkit.fake_slack import TEAM_ID, Call, text_of
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, EVA, NOORD
from tests.stories import given_group, schedule
from usecases.agenda import refresh_agenda
from usecases.reminders import deliver_reminder

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEC_1 = datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM)


@pytest.fixture
def planned(bot: Bot) -> Bot:
    """Noord (facilitated by Eva) has a meeting on 1 December at 19:30 Amsterdam time."""
    given_group(bot.db, bot.clock(), facilitator_id=EVA)
    schedule(bot, ANNA, DEC_1, where="https://meet.example/noord")
    bot.fake.wait_for("files.completeUploadExternal")
    jobs.install(bot.services)
    return bot


def reminder(bot: Bot, kind: str) -> Reminder:
    with bot.db() as session:
        return session.scalars(select(Reminder).where(Reminder.kind == kind)).one()


def fire(bot: Bot, kind: str) -> None:
    """The scheduler runs the reminder's job."""
    jobs.send_reminder(TEAM_ID, reminder(bot, kind).id)


def dms(bot: Bot) -> list[Call]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c["channel"].startswith("U")]


def channel_posts(bot: Bot, words: str) -> list[Call]:
    return [c for c in bot.fake.messages_in(NOORD) if words in c.all_text]


def test_a_week_before_each_member_is_asked_for_a_case_once(planned: Bot) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))

    fire(bot, "case_request")
    fire(bot, "case_request")

    asked = dms(bot)
    assert sorted(c["channel"] for c in asked) == sorted([ANNA, BRAM, CHLOE, DEV, EVA])
    [coach] = [c for c in asked if c["channel"] == EVA]  # Eva coaches: told, not asked
    assert "jij begeleidt de groep" in coach.all_text
    request = next(c for c in asked if c["channel"] == CHLOE)
    assert "Would you like to bring in a case" in request.all_text
    actions = next(b for b in request["blocks"] if b["type"] == "actions")["elements"]
    assert [a["text"]["text"] for a in actions] == ["Submit a case", "No case this time"]
    assert reminder(bot, "case_request").status == "sent"


def test_a_reminder_is_not_sent_before_its_moment(planned: Bot) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 24, 19, 29, tzinfo=AMSTERDAM))

    fire(bot, "case_request")

    assert dms(bot) == []
    assert reminder(bot, "case_request").status == "pending"


def test_two_bot_processes_firing_the_same_reminder_send_it_once(
    planned: Bot, database_url: str
) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    other = create_services(settings_for(bot.fake, database_url), bot.db, bot.clock)
    reminder_id = reminder(bot, "case_request").id

    racers = [
        threading.Thread(target=deliver_reminder, args=(services, reminder_id))
        for services in (bot.services, other, bot.services, other)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert sorted(c["channel"] for c in dms(bot)) == sorted([ANNA, BRAM, CHLOE, DEV, EVA])


def test_a_failed_dm_is_retried_later_without_doubling_the_others(planned: Bot) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    bot.fake.fail_next("chat.postMessage", "internal_error")

    fire(bot, "case_request")
    assert reminder(bot, "case_request").status == "pending"
    bot.clock.advance(timedelta(minutes=1))
    fire(bot, "case_request")

    delivered = [c["channel"] for c in dms(bot)]
    assert len(delivered) == 6  # one refused by Slack, then sent on the retry
    assert sorted(set(delivered)) == sorted([ANNA, BRAM, CHLOE, DEV, EVA])
    assert reminder(bot, "case_request").status == "sent"


def test_bram_has_no_case_and_the_agenda_says_so_with_time_place_and_rules(planned: Bot) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "case_request")
    brams = next(c for c in dms(bot) if c["channel"] == BRAM)
    no_case = next(b for b in brams["blocks"] if b["type"] == "actions")["elements"][1]

    bot.slack.click(
        BRAM, no_case["action_id"], no_case["value"], channel="D0BRAM", message_ts="7.1"
    )
    [noted] = bot.fake.wait_for("response_url")
    assert "Genoteerd: geen casus van jou" in noted.all_text  # Bram reads Dutch
    bot.clock.set(datetime(2026, 11, 30, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "agenda")

    [agenda] = channel_posts(bot, "Agenda for the meeting of Noord")
    assert f"<!date^{int(DEC_1.timestamp())}^" in agenda.all_text
    assert "https://meet.example/noord" in agenda.all_text
    assert "No cases have been submitted for this meeting" in agenda.all_text
    assert "*Learning from successes*" in agenda.all_text
    assert f"No case this time from: <@{BRAM}>" in agenda.all_text
    assert "|Our ground rules>" in agenda.all_text


def test_the_agenda_is_sent_late_when_the_bot_was_down_at_its_moment(planned: Bot) -> None:
    bot = planned
    bot.clock.set(DEC_1 - timedelta(hours=3))

    fire(bot, "agenda")

    assert len(channel_posts(bot, "Agenda for the meeting")) == 1


def test_a_reminder_that_can_no_longer_help_is_skipped(planned: Bot) -> None:
    bot = planned
    bot.clock.set(DEC_1 + timedelta(minutes=5))

    fire(bot, "agenda")
    fire(bot, "soon")
    fire(bot, "case_request")

    assert channel_posts(bot, "Agenda") == [] and channel_posts(bot, "starts in a few") == []
    assert dms(bot) == []
    assert reminder(bot, "agenda").status == "skipped"


def test_the_agenda_becomes_the_start_message_and_then_the_opening_in_one_message(
    planned: Bot,
) -> None:
    bot = planned
    bot.clock.set(DEC_1 - timedelta(days=1))
    fire(bot, "agenda")
    bot.clock.set(DEC_1 - timedelta(minutes=15))
    fire(bot, "soon")

    [agenda] = bot.fake.showing(NOORD)[-1:]
    assert "starts in a few minutes" in text_of(agenda)
    assert "https://meet.example/noord" in text_of(agenda)
    assert "Agenda for the meeting of Noord" in text_of(agenda)

    bot.clock.set(DEC_1)
    fire(bot, "start")
    [start] = bot.fake.showing(NOORD)[-1:]
    assert start["ts"] == agenda["ts"]
    assert "Time for the meeting of *Noord*" in text_of(start)
    assert "starts in a few minutes" not in text_of(start)
    button = next(b for b in start["blocks"] if b["type"] == "actions")["elements"][0]
    assert button["text"]["text"] == "Start meeting"

    bot.slack.click(CHLOE, button["action_id"], button["value"], channel=NOORD, message_ts="9.1")
    bot.fake.wait_for("chat.update", lambda c: "Attendance recorded" in c.all_text)

    with bot.db() as session:
        assert session.scalars(select(Meeting.status)).one() == "started"
    opening = next(m for m in bot.fake.showing(NOORD) if m["ts"] == agenda["ts"])
    assert "The meeting of Noord has started" in text_of(opening)
    assert f"Opened by <@{CHLOE}>" in text_of(opening)
    assert "Attendance recorded" in text_of(opening)  # no cases: over as soon as it opened
    assert "Start meeting" not in text_of(opening)
    assert not channel_posts(bot, "starts in a few minutes")  # no separate post for any of it
    assert not channel_posts(bot, "Time for the meeting")
    assert not channel_posts(bot, "has started")

    with bot.db() as session:  # a late change to the agenda leaves the opening as it is
        refresh_agenda(bot.services, session.scalars(select(Meeting.id)).one())
    opening = next(m for m in bot.fake.showing(NOORD) if m["ts"] == agenda["ts"])
    assert "The meeting of Noord has started" in text_of(opening)


def test_without_an_agenda_the_start_message_is_posted_once_and_edited(planned: Bot) -> None:
    bot = planned
    bot.clock.set(DEC_1 - timedelta(minutes=15))
    fire(bot, "soon")
    bot.clock.set(DEC_1)
    fire(bot, "start")

    assert len(channel_posts(bot, "starts in a few minutes")) == 1
    [shown] = [m for m in bot.fake.showing(NOORD) if "Start meeting" in text_of(m)]
    assert "Time for the meeting of *Noord*" in text_of(shown)
    assert "starts in a few minutes" not in text_of(shown)
    assert not channel_posts(bot, "Time for the meeting")


def test_after_the_meeting_the_next_one_is_proposed_at_the_cadence_and_confirmed(
    planned: Bot,
) -> None:
    bot = planned
    bot.clock.set(DEC_1 + timedelta(hours=2))

    fire(bot, "next")
    fire(bot, "next")

    [proposal] = channel_posts(bot, "Next meeting of Noord?")
    eight_weeks_later = datetime(2027, 1, 26, 19, 30, tzinfo=AMSTERDAM)
    assert f"<!date^{int(eight_weeks_later.timestamp())}^" in proposal.all_text
    confirm = next(b for b in proposal["blocks"] if b["type"] == "actions")["elements"][1]
    bot.slack.click(DEV, confirm["action_id"], confirm["value"], channel=NOORD, message_ts="1")
    bot.fake.wait_for(
        "chat.postMessage", lambda c: "Meeting planned for Noord" in c.all_text, count=2
    )
    with bot.db() as session:
        starts = session.scalars(select(Meeting.starts_at).order_by(Meeting.starts_at)).all()
    assert starts == [DEC_1.astimezone(UTC), eight_weeks_later.astimezone(UTC)]


def test_across_the_march_switch_the_next_meeting_keeps_its_local_time(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    bot.clock.set(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    feb_9 = datetime(2027, 2, 9, 19, 30, tzinfo=AMSTERDAM)
    schedule(bot, ANNA, feb_9)
    bot.fake.wait_for("files.completeUploadExternal")
    jobs.install(bot.services)
    bot.clock.set(feb_9 + timedelta(hours=2))

    fire(bot, "next")

    [proposal] = channel_posts(bot, "Next meeting of Noord?")
    april_6 = datetime(2027, 4, 6, 19, 30, tzinfo=AMSTERDAM)
    assert f"<!date^{int(april_6.timestamp())}^" in proposal.all_text
    assert "|2027-04-06 19:30 (Europe/Amsterdam)>" in proposal.all_text


def test_a_cancelled_meeting_sends_no_reminders(planned: Bot) -> None:
    bot = planned
    with bot.db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    bot.slack.click(ANNA, "meeting_cancel", str(meeting_id), channel=NOORD)
    bot.fake.wait_for("chat.postMessage", lambda c: "Meeting cancelled" in c.all_text)
    bot.clock.set(DEC_1 - timedelta(minutes=15))

    fire(bot, "soon")

    assert channel_posts(bot, "starts in a few minutes") == []


def test_a_rescheduled_meeting_asks_for_cases_again_for_its_new_date(planned: Bot) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "case_request")
    with bot.db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    bot.slack.click(ANNA, "meeting_reschedule", str(meeting_id), channel=NOORD)
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]

    bot.slack.submit(ANNA, view, fill(view, start=DEC_1 + timedelta(weeks=2)))
    bot.fake.wait_for("chat.postMessage", lambda c: "Meeting moved" in c.all_text)
    assert reminder(bot, "case_request").status == "pending"
    bot.clock.set(datetime(2026, 12, 8, 19, 30, tzinfo=AMSTERDAM))

    fire(bot, "case_request")

    assert len(dms(bot)) == 10  # four members and the coach, for each date


def test_the_group_can_choose_another_time_than_the_cadence_proposes(planned: Bot) -> None:
    bot = planned
    bot.clock.set(DEC_1 + timedelta(hours=2))
    fire(bot, "next")
    [proposal] = channel_posts(bot, "Next meeting of Noord?")
    other = next(b for b in proposal["blocks"] if b["type"] == "actions")["elements"][2]
    assert other["text"]["text"] == "Choose another time"

    bot.slack.click(BRAM, other["action_id"], other["value"], channel=NOORD, message_ts="1")
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    proposed = datetime(2027, 1, 26, 19, 30, tzinfo=AMSTERDAM)
    assert fill(view)["start"]["start"]["selected_date_time"] == int(proposed.timestamp())
    bot.slack.submit(BRAM, view, fill(view, start=proposed + timedelta(days=2)))

    bot.fake.wait_for("chat.update", lambda c: f"Confirmed by <@{BRAM}>" in c.all_text)
    with bot.db() as session:
        latest = session.scalars(
            select(Meeting.starts_at).order_by(Meeting.starts_at.desc())
        ).first()
    assert latest == (proposed + timedelta(days=2)).astimezone(UTC)
