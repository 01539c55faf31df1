"""Stories about meeting records: members mark themselves present during the opening round,
each attendee gets a proof of participation for their register, the chair corrects the record,
a member sees how far they are from their yearly target, and any member gets the group's
history. Never any case content."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from storage.attendance import add_record, mark_present
from storage.models import Attendance, Group, Meeting, MeetingRecord
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD, OSCAR
from tests.stories import given_group
from tests.test_live_session import DEC_1, meeting_day, run_id, start_meeting

__all__ = ["meeting_day"]  # the fixture, shared with the live-session stories
CASE_TITLE = "Client who keeps moving deadlines"
PROOF = "Proof of participation in intervisie"
BEWIJS = "Bewijs van deelname aan intervisie"


def meeting_id(bot: Bot) -> int:
    with bot.db() as session:
        return session.scalars(select(Meeting.id).where(Meeting.status == "started")).one()


def presence_button(bot: Bot, user: str) -> None:
    bot.slack.click(user, "attendance_present", str(meeting_id(bot)), channel=NOORD, message_ts="2")


def readable(raw: bytes) -> str:
    """A file's text as a person reads it: a PDF's words in reading order (a table row is its
    cells, separated by spaces; lines wrapped in a cell are joined again)."""
    if not raw.startswith(b"%PDF"):
        return raw.decode()
    pages = PdfReader(io.BytesIO(raw)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def files_in_dm(bot: Bot, user: str) -> dict[str, str]:
    """Every file the bot sent to the user's DM, by title (the latest one per title)."""
    dm = "D" + user[1:]
    found = {}
    for call in bot.fake.calls_to("files.completeUploadExternal"):
        if call.get("channel_id") == dm:
            for sent in call["files"]:
                found[sent["title"]] = readable(bot.fake.uploads[sent["id"]])
    return found


def end_the_meeting_after(bot: Bot, minutes: int) -> None:
    """The group talks until `minutes` after the start; the case owner ends the case."""
    bot.clock.set(DEC_1 + timedelta(minutes=minutes))
    bot.slack.click(BRAM, "run_end", str(run_id(bot)), channel=NOORD, message_ts="1")
    closed_after(bot)


def closed_after(bot: Bot) -> None:
    """Wait for the meeting's closing and what follows it: the opening's record, the proofs
    and, last, the group's panel showing the next meeting."""
    [closing] = bot.fake.wait_for(
        "chat.postMessage", lambda c: "Closing round" in c.all_text or "Slotronde" in c.all_text
    )
    bot.fake.wait_for(
        "chat.update",
        lambda c: "panel_now" in json.dumps(c.params) and c.received_at > closing.received_at,
    )


@pytest.fixture
def held(meeting_day: Bot) -> Bot:
    """Anna, Bram and Dev (in New York) mark themselves present; Chloe is absent. The meeting
    lasts 95 minutes."""
    bot = meeting_day
    start_meeting(bot)
    for member in (ANNA, BRAM, DEV):
        presence_button(bot, member)
    end_the_meeting_after(bot, 95)
    return bot


def test_members_mark_themselves_present_during_the_opening_round(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)
    [message] = bot.fake.wait_for("chat.postMessage", lambda c: "Attendance." in c.all_text)
    assert message["channel"] == NOORD
    assert "never what is discussed" in message.all_text

    presence_button(bot, ANNA)
    presence_button(bot, DEV)
    presence_button(bot, ANNA)  # a second click changes nothing
    presence_button(bot, OSCAR)

    bot.fake.wait_for("chat.update", lambda c: "*Present:* <@U0ANNA>, <@U0DEV>" in c.all_text)
    [refused] = bot.fake.wait_for("response_url", lambda c: "not your group" in c.all_text)
    assert refused["response_type"] == "ephemeral"
    with bot.db() as session:
        present = session.scalars(select(Attendance.user_id).order_by(Attendance.user_id)).all()
    assert present == [ANNA, DEV]


def test_only_those_present_get_a_proof_with_times_in_their_own_zone(held: Bot) -> None:
    bot = held

    closing = bot.fake.wait_for("chat.postMessage", lambda c: "Closing round" in c.all_text)[0]
    assert "Attendance is recorded: 3 present, 1 h 35 min." in closing.all_text
    bot.fake.wait_for(
        "chat.update",
        lambda c: (
            "Attendance recorded.* Present: <@U0ANNA>, <@U0BRAM>, <@U0DEV> · 1 h 35 min"
            in c.all_text
        ),
    )
    # Each in their own language: Anna's Slack is Dutch, Dev's English.
    anna, dev = files_in_dm(bot, ANNA)[BEWIJS], files_in_dm(bot, DEV)[PROOF]
    assert "Deelnemer Anna" in anna
    assert "Groep Noord" in anna
    assert "Datum 1 december 2026" in anna
    assert "Tijd 19:30–21:05 (Europe/Amsterdam)" in anna
    assert "Time 13:30–15:05 (America/New_York)" in dev
    assert "Duration 1 h 35 min" in dev
    assert "Methods used Incident method" in dev
    assert "Cases discussed 1" in dev
    assert "2 other members; the group keeps their names private" in dev
    uploads: list[Call] = bot.fake.calls_to("files.completeUploadExternal")
    proof_dms = {
        c["channel_id"] for c in uploads if any(f["title"] in (PROOF, BEWIJS) for f in c["files"])
    }
    assert proof_dms == {"D0ANNA", "D0BRAM", "D0DEV"}
    for proof in (anna, dev):
        assert CASE_TITLE not in proof and "deadline" not in proof.lower()


def test_a_group_that_allows_it_names_the_other_attendees(meeting_day: Bot) -> None:
    bot = meeting_day
    with bot.db.begin() as session:
        session.execute(Group.__table__.update().values(share_attendee_names=True))
    start_meeting(bot)
    presence_button(bot, ANNA)
    presence_button(bot, CHLOE)
    end_the_meeting_after(bot, 100)

    assert "Andere aanwezigen Chloe" in files_in_dm(bot, ANNA)[BEWIJS]
    assert "Other attendees Anna" in files_in_dm(bot, CHLOE)[PROOF]


def test_a_click_after_the_meeting_ended_points_to_the_chair(held: Bot) -> None:
    bot = held
    bot.slack.click(CHLOE, "attendance_present", str(meeting_id(bot)), channel=NOORD)
    [answer] = bot.fake.wait_for("response_url", lambda c: "has ended" in c.all_text)
    assert "ask the chair to correct it" in answer.all_text
    assert files_in_dm(bot, CHLOE) == {}


def test_the_chair_corrects_attendance_and_duration(held: Bot) -> None:
    bot = held
    held_id = meeting_id(bot)
    bot.slack.click(DEV, "attendance_correct", str(held_id), channel=NOORD)
    [refused] = bot.fake.wait_for(
        "response_url", lambda c: "Only the meeting's chairs" in c.all_text
    )
    assert refused["response_type"] == "ephemeral"

    before = len(bot.fake.calls_to("views.open"))
    bot.slack.click(ANNA, "attendance_correct", str(held_id), channel=NOORD)
    view = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    assert "Bijeenkomst van Noord op 1 december 2026." in str(view)  # Anna's Slack is Dutch

    wrong = bot.slack.submit(ANNA, view, fill(view, present=[ANNA, OSCAR], minutes="0"))
    assert wrong.json["response_action"] == "errors"
    assert wrong.json["errors"]["present"] == (
        "Niet in deze groep: <@U0OSCAR>. Alleen leden en de begeleider kunnen worden genoteerd."
    )
    assert "minutes" in wrong.json["errors"]

    fixed = bot.slack.submit(ANNA, view, fill(view, present=[ANNA, CHLOE, DEV], minutes="100"))
    assert fixed.body == ""
    bot.fake.wait_for("chat.update", lambda c: "Corrected by <@U0ANNA>." in c.all_text)
    bot.fake.wait_for("files.completeUploadExternal", lambda c: c.get("channel_id") == "D0CHLOE")
    assert "Duration 1 h 40 min" in files_in_dm(bot, CHLOE)[PROOF]
    assert "Duration 1 h 40 min" in files_in_dm(bot, DEV)[PROOF]
    assert "corrected the attendance or duration" in files_in_dm(bot, DEV)[PROOF]
    [removed] = bot.fake.wait_for(
        "chat.postMessage", lambda c: "niet meer als aanwezig genoteerd" in c.all_text
    )
    assert removed["channel"] == BRAM
    with bot.db() as session:
        record = session.get(MeetingRecord, held_id)
        assert record is not None and record.minutes == 100


def given_short_meeting(bot: Bot, member: str, minutes: int) -> None:
    """An earlier meeting of Noord this year that `member` attended, `minutes` long."""
    start = DEC_1 - timedelta(days=56)
    with bot.db.begin() as session:
        group_id = session.scalars(select(Meeting.group_id)).first()
        assert group_id is not None
        meeting = Meeting(
            group_id=group_id,
            uid="earlier@intervisie",
            starts_at=start,
            minutes=minutes,
            case_slots=1,
            status="started",
            created_by=ANNA,
            created_at=start,
            updated_at=start,
        )
        session.add(meeting)
        session.flush()
        end = start + timedelta(minutes=minutes)
        add_record(session, meeting.id, group_id, start, end, minutes, ["gossip"], 1)
        mark_present(session, meeting.id, member, member, start)


def test_a_member_sees_how_far_they_are_from_their_yearly_target(held: Bot) -> None:
    bot = held
    given_short_meeting(bot, DEV, 60)

    bot.slack.command(DEV, NOORD, "attendance")
    [reply] = bot.fake.wait_for("response_url", lambda c: "In 2026" in c.all_text)
    assert reply["response_type"] == "ephemeral"
    assert (
        "In 2026 you took part in 1 intervisie meeting of at least 90 minutes, 1 h 35 min"
        " in total. Your target is 4: 3 more to go. 1 shorter meeting does not count"
    ) in reply.all_text
    overview = files_in_dm(bot, DEV)["Intervisie attendance in 2026"]
    assert "December 1, 2026 Noord 13:30–15:05 (America/New_York) 1 h 35 min" in overview
    assert "1 h 0 min Gossip method no, shorter than 90 minutes" in overview

    button = next(b for b in reply["blocks"] if b["type"] == "actions")["elements"][0]
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.click(DEV, button["action_id"], button["value"], channel=NOORD)
    view = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    too_many = bot.slack.submit(DEV, view, fill(view, meetings="60", minutes="60"))
    assert too_many.json["errors"] == {"meetings": "Enter a whole number from 1 to 52."}
    assert bot.slack.submit(DEV, view, fill(view, meetings="2", minutes="60")).body == ""

    bot.slack.command(DEV, NOORD, "attendance 2026")
    [again] = bot.fake.wait_for("response_url", lambda c: "target of 2 is met" in c.all_text)
    assert "2 intervisie meetings of at least 60 minutes, 2 h 35 min in total" in again.all_text


def test_a_year_that_is_not_a_year_gets_a_friendly_hint(held: Bot) -> None:
    bot = held
    bot.slack.command(DEV, NOORD, "attendance last-year")
    [reply] = bot.fake.wait_for("response_url", lambda c: "Give a year" in c.all_text)
    assert reply["response_type"] == "ephemeral"


def test_any_member_gets_the_groups_history_as_csv(held: Bot) -> None:
    bot = held
    given_short_meeting(bot, DEV, 60)

    bot.slack.command(CHLOE, NOORD, "history")
    [reply] = bot.fake.wait_for("response_url", lambda c: "CSV file" in c.all_text)
    assert "never what was discussed" in reply.all_text
    csv = files_in_dm(bot, CHLOE)["The meeting history of Noord."].splitlines()
    assert csv == [
        "date,start,end,duration (minutes),present,members,methods,cases discussed",
        "2026-10-06,19:30,20:30,60,1,4,Gossip method,1",
        "2026-12-01,19:30,21:05,95,3,4,Incident method,1",
    ]

    bot.slack.command(OSCAR, NOORD, "history")
    [refused] = bot.fake.wait_for("response_url", lambda c: "Only its members" in c.all_text)
    assert files_in_dm(bot, OSCAR) == {}
    assert refused["response_type"] == "ephemeral"


def test_a_group_without_records_says_how_they_come_about(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")
    bot.slack.command(CHLOE, NOORD, "history")
    [reply] = bot.fake.wait_for("response_url")
    assert "Noord has no recorded meetings yet" in reply.all_text
