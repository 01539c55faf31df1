"""Stories about bringing in cases and choosing which ones the meeting takes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import jobs
from storage.models import Case, Meeting, Reminder
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID, Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD, OPEN, OSCAR
from tests.stories import given_group, open_modal, schedule

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEC_1 = datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM)
BRAMS_CASE = {
    "title": "Client who keeps moving deadlines",
    "situation": "A client moved the deadline three times; I said yes each time.",
    "question": "How do I set a boundary without losing the client?",
    "kind": "incident",
    "urgency": "high",
}


@pytest.fixture
def planned(bot: Bot) -> Bot:
    """Noord has a meeting on 1 December; a week before, everyone was asked for a case."""
    given_group(bot.db, bot.clock(), language="en")
    schedule(bot, ANNA, DEC_1, where="https://meet.example/noord")
    bot.fake.wait_for("files.completeUploadExternal")
    jobs.install(bot.services)
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "case_request")
    return bot


def fire(bot: Bot, kind: str) -> None:
    with bot.db() as session:
        reminder_id = session.scalars(select(Reminder.id).where(Reminder.kind == kind)).one()
    jobs.send_reminder(TEAM_ID, reminder_id)


def button(message: Call | dict[str, Any], action_id: str, nth: int = 0) -> dict[str, Any]:
    found = []
    for block in message["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements = [block["accessory"]]
        found += [e for e in elements if e.get("action_id") == action_id]
    return found[nth]


def open_from_dm(bot: Bot, user: str) -> dict[str, Any]:
    request = next(c for c in bot.fake.calls_to("chat.postMessage") if c["channel"] == user)
    submit = button(request, "case_submit")
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.click(user, "case_submit", submit["value"], channel="D" + user[1:], message_ts="5")
    view: dict[str, Any] = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    return view


def submit_case(bot: Bot, user: str, **fields: str) -> Any:
    view = open_from_dm(bot, user)
    return bot.slack.submit(user, view, fill(view, **fields))


def cases(bot: Bot) -> list[Case]:
    with bot.db() as session:
        return list(session.scalars(select(Case).order_by(Case.id)))


def test_bram_brings_in_a_case_from_the_reminder_dm(planned: Bot) -> None:
    bot = planned
    view = open_from_dm(bot, BRAM)

    assert view["title"]["text"] == "Casus inbrengen", "Bram's Slack is Dutch: so is his form"
    target = fill(view)["target"]["target"]["selected_option"]
    assert target["text"]["text"] == "Noord: 2026-12-01 19:30"
    reply = bot.slack.submit(BRAM, view, fill(view, **BRAMS_CASE))

    assert reply.body == ""
    [case] = cases(bot)
    assert (case.owner_id, case.title, case.kind, case.urgency) == (
        BRAM,
        BRAMS_CASE["title"],
        "incident",
        "high",
    )
    assert case.method is None
    home = bot.fake.wait_for("views.publish", lambda c: c["user_id"] == BRAM)[-1]
    assert BRAMS_CASE["title"] in home.all_text
    assert all(BRAMS_CASE["situation"] not in c.all_text for c in bot.fake.messages_in(NOORD))


def test_choosing_a_kind_offers_the_methods_that_fit_it(planned: Bot) -> None:
    bot = planned
    view = open_from_dm(bot, BRAM)

    bot.slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": BRAM},
            "view": {**view, "id": "V1", "hash": "h1", "state": {"values": fill(view)}},
            "actions": [
                {
                    "type": "static_select",
                    "action_id": "kind",
                    "block_id": "kind",
                    "selected_option": {"value": "success"},
                }
            ],
        }
    )

    [update] = bot.fake.wait_for("views.update")
    assert update["view_id"] == "V1"
    method = next(b for b in update["view"]["blocks"] if b.get("block_id") == "method")
    offered = [o["text"]["text"] for o in method["element"]["options"]]
    assert offered == ["Laat de groep kiezen", "Leren van successen"]  # Bram reads Dutch


def test_a_case_without_a_question_gets_a_field_error_that_explains_why(planned: Bot) -> None:
    bot = planned
    view = open_from_dm(bot, BRAM)

    reply = bot.slack.submit(
        BRAM,
        view,
        fill(view, **{**BRAMS_CASE, "question": "", "link": "recording on my laptop", "title": ""}),
    )

    assert reply.json["response_action"] == "errors"
    errors = reply.json["errors"]
    assert set(errors) == {"question", "link", "title"}
    assert "vertelt de groep waarmee je geholpen wilt worden" in errors["question"]
    assert "https://" in errors["link"]
    assert cases(bot) == []
    question = next(b for b in view["blocks"] if b.get("block_id") == "question")
    assert question["optional"] is False, "the modal marks the question as required"
    assert "optional" not in question["label"]["text"]


def test_characters_no_database_can_store_are_left_out_of_a_case(planned: Bot) -> None:
    bot = planned
    view = open_from_dm(bot, BRAM)
    title = "Dead\x00lines\udcff at \x1b[31mwork"

    reply = bot.slack.submit(BRAM, view, fill(view, **{**BRAMS_CASE, "title": title}))

    assert reply.body == ""
    [case] = cases(bot)
    assert case.title == "Deadlines at [31mwork"


def test_a_meeting_that_already_happened_cannot_take_a_case(planned: Bot) -> None:
    bot = planned
    view = open_from_dm(bot, BRAM)
    bot.clock.set(DEC_1 + timedelta(minutes=1))

    reply = bot.slack.submit(BRAM, view, fill(view, **BRAMS_CASE))

    assert reply.json["errors"] == {"target": "Die bijeenkomst is al geweest: kies een komende."}
    assert cases(bot) == []


def test_bram_edits_and_then_withdraws_his_case(planned: Bot) -> None:
    bot = planned
    submit_case(bot, BRAM, **BRAMS_CASE)
    [case] = cases(bot)

    bot.slack.command(BRAM, NOORD, "cases")
    [listing] = bot.fake.wait_for("response_url")
    assert BRAMS_CASE["title"] in listing.all_text
    opened = len(bot.fake.calls_to("views.open"))
    bot.slack.click(BRAM, "case_edit", str(case.id), channel=NOORD)
    view = bot.fake.wait_for("views.open", count=opened + 1)[-1]["view"]
    assert view["title"]["text"] == "Casus aanpassen"
    assert fill(view)["question"]["question"]["value"] == BRAMS_CASE["question"]
    bot.slack.submit(BRAM, view, fill(view, title="Deadlines, again"))
    bot.fake.wait_for("views.publish", lambda c: "Deadlines, again" in c.all_text)
    assert cases(bot)[0].title == "Deadlines, again"

    bot.slack.click(BRAM, "case_withdraw", str(case.id), channel=NOORD)

    bot.fake.wait_for(
        "views.publish",
        lambda c: c["user_id"] == BRAM and "Je hebt geen open casussen." in c.all_text,
    )
    assert cases(bot)[0].status == "withdrawn"


def test_nobody_else_can_see_edit_or_withdraw_brams_case(planned: Bot) -> None:
    bot = planned
    submit_case(bot, BRAM, **BRAMS_CASE)
    [case] = cases(bot)

    bot.slack.click(OSCAR, "case_view", str(case.id))
    bot.slack.click(CHLOE, "case_edit", str(case.id))
    bot.slack.click(OSCAR, "case_withdraw", str(case.id))
    bot.slack.command(OSCAR, OPEN, "cases")

    answers = bot.fake.wait_for("response_url", count=4)
    assert all(BRAMS_CASE["title"] not in a.all_text for a in answers)
    assert len(bot.fake.calls_to("views.open")) == 2  # the meeting modal and Bram's own
    assert cases(bot)[0].status == "submitted"


def agenda(bot: Bot) -> Call:
    return bot.fake.wait_for(
        "chat.postMessage", lambda c: "Agenda for the meeting of Noord" in c.all_text
    )[0]


def test_the_group_votes_and_confirms_and_the_owner_agrees_to_post_the_case(planned: Bot) -> None:
    bot = planned
    submit_case(bot, BRAM, **BRAMS_CASE)
    submit_case(
        bot,
        CHLOE,
        title="Saying no to a friend's project",
        situation="A friend asked me to join a project I don't believe in.",
        question="How do I decline and keep the friendship?",
        kind="dilemma",
        urgency="low",
        method="socratic",
    )
    bot.clock.set(datetime(2026, 11, 30, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "agenda")
    posted = agenda(bot)
    assert "*Client who keeps moving deadlines* · <@U0BRAM>" in posted.all_text
    assert "Incident · Pressing · Let the group choose · ~50 min" in posted.all_text
    assert "Dilemma · Can wait · Socratic method · ~60 min" in posted.all_text
    assert "How do I set a boundary" not in posted.all_text

    brams, chloes = cases(bot)
    bot.slack.click(DEV, "case_vote", str(chloes.id), channel=NOORD, message_ts="1")
    bot.fake.wait_for("chat.update", lambda c: f"1 vote: <@{DEV}>" in c.all_text)
    bot.slack.click(OSCAR, "case_vote", str(brams.id), channel=NOORD, message_ts="1")
    [refused] = bot.fake.wait_for("response_url")
    assert "Only members" in refused.all_text
    bot.slack.click(ANNA, "case_vote", str(chloes.id), channel=NOORD, message_ts="1")
    bot.slack.click(ANNA, "case_vote", str(brams.id), channel=NOORD, message_ts="1")
    assert cases(bot)[0].voter_ids == [ANNA]

    with bot.db() as session:
        session.execute(
            Meeting.__table__.update().values(case_slots=1)  # a short meeting: room for one case
        )
        session.commit()
    bot.slack.click(
        ANNA,
        "cases_confirm",
        button(posted, "cases_confirm")["value"],
        channel=NOORD,
        message_ts="1",
    )

    chosen = bot.fake.wait_for("chat.update", lambda c: "Selection confirmed by" in c.all_text)[0]
    assert ":white_check_mark: *Saying no to a friend's project*" in chosen.all_text
    consent = bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == CHLOE and "was chosen" in c.all_text
    )[0]
    rolled = bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == BRAM and "niet gekozen" in c.all_text
    )[0]
    assert "schuift vanzelf door naar de volgende bijeenkomst (nog niet gepland)" in rolled.all_text
    assert [c.status for c in cases(bot)] == ["submitted", "selected"]
    assert cases(bot)[0].meeting_id is None
    assert cases(bot)[0].voter_ids == [], "a case carried over starts the next choice afresh"

    yes = button(consent, "case_consent_yes")
    bot.slack.click(CHLOE, "case_consent_yes", yes["value"], channel="D0CHLOE", message_ts="8")

    thread = bot.fake.wait_for(
        "chat.postMessage", lambda c: "The case <@U0CHLOE> brings in" in c.all_text
    )[0]
    assert thread["channel"] == NOORD
    assert thread["thread_ts"] is not None
    assert "How do I decline and keep the friendship?" in thread.all_text


def test_an_empty_agenda_suggests_learning_from_successes(planned: Bot) -> None:
    bot = planned
    bot.clock.set(datetime(2026, 11, 30, 19, 30, tzinfo=AMSTERDAM))

    fire(bot, "agenda")

    posted = agenda(bot)
    assert "No cases have been submitted" in posted.all_text
    assert "*Learning from successes*" in posted.all_text


def test_a_case_waiting_for_the_next_meeting_joins_it_when_it_is_planned(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")
    view = open_modal(bot, BRAM, "case")
    assert fill(view)["target"]["target"]["selected_option"]["text"]["text"] == (
        "Noord: volgende bijeenkomst (nog niet gepland)"
    )
    bot.slack.submit(BRAM, view, fill(view, **BRAMS_CASE))
    bot.fake.wait_for("views.publish", lambda c: c["user_id"] == BRAM)
    assert cases(bot)[0].meeting_id is None

    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")

    assert cases(bot)[0].meeting_id is not None


def test_the_shortcut_lets_a_member_of_two_groups_pick_the_group(bot: Bot) -> None:
    given_group(bot.db, bot.clock(), language="en")
    given_group(bot.db, bot.clock(), channel=OPEN, members=(ANNA, OSCAR), name="Algemeen")

    bot.slack.interaction(
        {"type": "shortcut", "callback_id": "submit_case", "user": {"id": ANNA}, "trigger_id": "t1"}
    )

    view = bot.fake.wait_for("views.open")[0]["view"]
    target = next(b for b in view["blocks"] if b.get("block_id") == "target")["element"]
    assert [g["label"]["text"] for g in target["option_groups"]] == ["Algemeen", "Noord"]


def test_someone_in_no_group_is_told_how_to_join(bot: Bot) -> None:
    bot.slack.command(OSCAR, OPEN, "case")

    [answer] = bot.fake.wait_for("response_url")
    assert "not in an intervisie group yet" in answer.all_text
    assert bot.fake.calls_to("views.open") == []


def test_when_the_meeting_is_cancelled_the_case_waits_for_the_next_and_its_owner_is_told(
    planned: Bot,
) -> None:
    bot = planned
    submit_case(bot, BRAM, **BRAMS_CASE)
    with bot.db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()

    bot.slack.click(CHLOE, "meeting_cancel", str(meeting_id), channel=NOORD)

    told = bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == BRAM and "is afgezegd" in c.all_text
    )[0]
    assert "schuift vanzelf door naar de volgende bijeenkomst (nog niet gepland)" in told.all_text
    assert cases(bot)[0].meeting_id is None
    assert cases(bot)[0].status == "submitted"
