"""When Slack will not deliver: unreachable members, a lost channel, uninstalls, retries, and
jobs that fail. The meeting's flow goes on, nothing loops, nothing confidential leaks."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from bot import jobs
from storage.cases import add_case
from storage.groups import get_group
from storage.installation import is_revoked
from storage.meetings import pending_reminders
from storage.models import Case, Contribution, Group, Meeting, Reminder
from tests.conftest import Bot
from tests.slackkit.fake_slack import BOT_USER_ID, TEAM_ID, Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, DUTCH_SLACK, EVA, NOORD, OPEN, OSCAR
from tests.stories import given_group, open_modal, schedule
from tests.test_followup import AMSTERDAM, CASE, DEC_1
from tests.test_live_session import click, meeting_day, start_meeting, tick
from tests.test_scheduler import job_ids
from usecases.clock import utc_now
from usecases.installation import token_accepted
from usecases.meetings import MeetingPlan, plan_meeting

__all__ = ["meeting_day"]

HOUSEKEEPING = {"reconcile", "retention", "reviews"}


@pytest.fixture
def planned(bot: Bot) -> Bot:
    """Noord plans a meeting on 1 December; its reminders are pending."""
    given_group(bot.db, bot.clock())
    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")
    jobs.install(bot.services)
    return bot


@pytest.fixture
def running_scheduler(planned: Bot) -> Iterator[Bot]:
    """The scheduler fires on the real clock: the planned world (made on the test clock's day)
    moves to today before it starts, so what is planned is still ahead of it."""
    now = utc_now()
    moved = now - planned.clock()
    with planned.db.begin() as session:
        for planned_meeting in session.scalars(select(Meeting)):
            planned_meeting.starts_at += moved
        for reminder in session.scalars(select(Reminder)):
            reminder.due_at += moved
    planned.clock.set(now)
    planned.services.scheduler.start()
    wait_until(lambda: planned.services.scheduler.leading)
    yield planned
    planned.services.scheduler.stop()


def wait_until(condition: object, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def fire(bot: Bot, kind: str) -> None:
    with bot.db() as session:
        reminder_id = session.scalars(select(Reminder.id).where(Reminder.kind == kind)).one()
    jobs.send_reminder(TEAM_ID, reminder_id)


def status_of(bot: Bot, kind: str) -> str:
    with bot.db() as session:
        return session.scalars(select(Reminder.status).where(Reminder.kind == kind)).one()


def dms_saying(bot: Bot, english: str, dutch: str) -> list[Call]:
    """The DMs that say this, each in the language of the one it was sent to."""
    return [
        c
        for c in bot.fake.calls_to("chat.postMessage")
        if c["channel"].startswith("U")
        and (dutch if c["channel"] in DUTCH_SLACK else english) in c.all_text
    ]


ASK_FOR_A_CASE = ("Would you like to bring in a case", "Wil je een casus uit je werk inbrengen")
PAUSED = ("can no longer post in", "kan niet meer posten in")


def pending_kinds(bot: Bot) -> list[str]:
    with bot.db() as session:
        return [r.kind for r, _team in pending_reminders(session)]


def test_a_member_without_dms_gets_a_content_free_note_in_the_channel(planned: Bot) -> None:
    bot = planned
    bot.fake.cannot_reach(DEV)
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))

    fire(bot, "case_request")

    asked = dms_saying(bot, *ASK_FOR_A_CASE)
    assert sorted(c["channel"] for c in asked) == sorted([ANNA, BRAM, CHLOE, DEV])
    [note] = [c for c in bot.fake.messages_in(NOORD) if "could not reach" in c.all_text]
    assert f"<@{DEV}>" in note.all_text
    assert status_of(bot, "case_request") == "sent", "the others' flow goes on"


def test_an_archived_channel_pauses_the_group_until_it_is_unarchived(planned: Bot) -> None:
    bot = planned
    assert "soon" in pending_kinds(bot)

    bot.slack.event({"type": "group_archive", "channel": NOORD, "user": ANNA})

    bot.fake.wait_for("chat.postMessage", lambda c: c in dms_saying(bot, *PAUSED), count=4)
    told = dms_saying(bot, *PAUSED)
    assert sorted(c["channel"] for c in told) == sorted([ANNA, BRAM, CHLOE, DEV])
    assert "it was archived" in next(c for c in told if c["channel"] == CHLOE).all_text
    assert pending_kinds(bot) == []
    bot.clock.set(DEC_1 - timedelta(minutes=15))
    fire(bot, "soon")
    assert not [c for c in bot.fake.messages_in(NOORD) if "starts in a few" in c.all_text]
    assert status_of(bot, "soon") == "pending", "nothing is lost"

    bot.slack.event({"type": "group_unarchive", "channel": NOORD, "user": ANNA})

    back = ("I'm back in", "Ik ben terug in")
    bot.fake.wait_for("chat.postMessage", lambda c: c in dms_saying(bot, *back), count=4)
    assert "soon" in pending_kinds(bot)
    fire(bot, "soon")
    assert [c for c in bot.fake.messages_in(NOORD) if "starts in a few" in c.all_text]


def test_a_bot_removed_from_the_channel_pauses_once_and_never_loops(planned: Bot) -> None:
    bot = planned
    bot.fake.channels[NOORD].members.discard(BOT_USER_ID)
    bot.clock.set(DEC_1 - timedelta(minutes=15))
    before = len(bot.fake.messages_in(NOORD))

    fire(bot, "soon")
    fire(bot, "soon")
    fire(bot, "start")

    assert len(bot.fake.messages_in(NOORD)) == before + 1, "one failed post, then a pause"
    told = dms_saying(bot, *PAUSED)
    assert sorted(c["channel"] for c in told) == sorted([ANNA, BRAM, CHLOE, DEV])
    assert "ik ben eruit verwijderd" in next(c for c in told if c["channel"] == ANNA).all_text
    with bot.db() as session:
        assert session.scalars(select(Group.pause_reason)).one() == "not_in_channel"

    bot.fake.channels[NOORD].members.add(BOT_USER_ID)
    bot.slack.event({"type": "member_joined_channel", "channel": NOORD, "user": BOT_USER_ID})

    back = ("I'm back in", "Ik ben terug in")
    bot.fake.wait_for("chat.postMessage", lambda c: c in dms_saying(bot, *back), count=4)
    fire(bot, "soon")
    assert [c for c in bot.fake.messages_in(NOORD) if "starts in a few" in c.all_text]


def test_a_member_joining_the_channel_does_not_resume_a_paused_group(planned: Bot) -> None:
    bot = planned
    bot.slack.event({"type": "group_archive", "channel": NOORD, "user": ANNA})

    bot.slack.event({"type": "member_joined_channel", "channel": NOORD, "user": BRAM})

    assert not dms_saying(bot, "I'm back in", "Ik ben terug in")
    assert pending_kinds(bot) == []


def test_after_uninstalling_no_job_runs_and_nothing_calls_slack(running_scheduler: Bot) -> None:
    bot = running_scheduler
    wait_until(lambda: job_ids(bot.services) > HOUSEKEEPING)

    bot.slack.event({"type": "app_uninstalled"})

    wait_until(lambda: job_ids(bot.services) == HOUSEKEEPING)
    calls = len(bot.fake.calls)
    with bot.db() as session:
        starts_at = session.scalars(select(Meeting.starts_at)).one()
    bot.clock.set(starts_at - timedelta(minutes=15))
    fire(bot, "soon")
    bot.slack.event({"type": "app_home_opened", "user": ANNA, "tab": "home"})
    assert len(bot.fake.calls) == calls, "not a single call to Slack"
    assert status_of(bot, "soon") == "pending", "nothing is marked sent that was not"

    token_accepted(bot.services)
    with bot.db() as session:
        assert not is_revoked(session), "a restart with a working token means it was reinstalled"


def test_only_a_revoked_bot_token_stops_the_bot(planned: Bot) -> None:
    bot = planned

    bot.slack.event({"type": "tokens_revoked", "tokens": {"oauth": [ANNA], "bot": []}})
    with bot.db() as session:
        assert not is_revoked(session)

    bot.slack.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BOT_USER_ID]}})
    with bot.db() as session:
        assert is_revoked(session)


def test_slacks_retry_of_a_handled_event_does_not_double_its_effect(bot: Bot) -> None:
    given_group(bot.db, bot.clock())
    home = {"type": "app_home_opened", "user": ANNA, "tab": "home"}

    bot.slack.event(home, event_id="Ev42")
    bot.fake.wait_for("views.publish")
    reply = bot.slack.event(home, event_id="Ev42", retry=1)
    bot.slack.event(home, event_id="Ev42", retry=2)

    assert reply.status == 200
    assert len(bot.fake.calls_to("views.publish")) == 1


def test_a_failing_job_is_logged_by_id_and_the_scheduler_keeps_going(
    running_scheduler: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = running_scheduler
    now = bot.clock()
    zuid_id = given_group(bot.db, now, channel=OPEN, name="Zuid", members=(EVA, OSCAR))
    with bot.db.begin() as session:
        zuid = get_group(session, zuid_id)
        assert zuid is not None
        meeting = plan_meeting(
            session, zuid, MeetingPlan(now + timedelta(days=3), 120, "", 1), EVA, now
        )
        add_case(session, zuid, meeting.id, EVA, CASE, now)
        session.execute(text("UPDATE cases SET title = 'damaged'"))
        session.execute(
            update(Reminder)
            .where(
                ((Reminder.meeting_id == meeting.id) & (Reminder.kind == "agenda"))
                | ((Reminder.meeting_id != meeting.id) & (Reminder.kind == "case_request"))
            )
            .values(due_at=now)
        )
    caplog.set_level(logging.ERROR)

    bot.services.scheduler.sync()

    wait_until(lambda: any("failed with DecryptionError" in r.getMessage() for r in caplog.records))
    asked = bot.fake.wait_for(
        "chat.postMessage", lambda c: c in dms_saying(bot, *ASK_FOR_A_CASE), count=4
    )
    assert sorted(c["channel"] for c in asked) == sorted([ANNA, BRAM, CHLOE, DEV])
    assert bot.services.scheduler.leading
    assert "damaged" not in caplog.text


def test_a_double_click_on_submit_stores_the_case_once(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")
    schedule(bot, ANNA, DEC_1)
    view = open_modal(bot, BRAM, "case")
    values = fill(view, title="Deadlines", situation="Moved again.", question="What now?")
    shown = {**view, "id": "V0CASE"}

    first = bot.slack.submit(BRAM, shown, values)
    second = bot.slack.submit(BRAM, shown, values)

    assert first.body == "" and second.body == ""
    with bot.db() as session:
        assert session.scalars(select(Case.title)).all() == ["Deadlines"]


def test_a_corrected_resubmission_of_the_same_modal_is_saved(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")
    schedule(bot, ANNA, DEC_1)
    view = {**open_modal(bot, BRAM, "case"), "id": "V0CASE"}

    refused = bot.slack.submit(BRAM, view, fill(view, title="", situation="x", question="y"))
    saved = bot.slack.submit(BRAM, view, fill(view, title="Deadlines", situation="x", question="y"))

    assert "errors" in refused.body and saved.body == ""
    with bot.db() as session:
        assert session.scalars(select(Case.title)).all() == ["Deadlines"]


def test_a_double_click_on_submit_adds_advice_once(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)
    for minutes in (5, 15, 8):
        tick(bot, minutes)
    click(bot, DEV, "run_add")
    view = {**bot.fake.wait_for("views.open", count=2)[-1]["view"], "id": "V0ADVICE"}
    values = fill(view, text="Put it in writing.")

    bot.slack.submit(DEV, view, values)
    bot.slack.submit(DEV, view, values)

    with bot.db() as session:
        assert session.scalars(select(Contribution.text)).all() == ["Put it in writing."]
