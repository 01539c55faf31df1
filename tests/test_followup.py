"""Stories about what happens after the meeting: takeaways, goals and their follow-up, the
evaluation, and the App Home."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import jobs
from methods.cases import CaseFields
from rendering.followup_messages import GoalFacts
from rendering.home_view import GroupLine, home_view
from rendering.i18n import Translator
from rendering.markup import escape
from rendering.meeting_facts import MeetingFacts
from rendering.my_cases import MyCase
from storage.cases import add_case
from storage.models import Meeting, Reminder, Takeaway
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID, Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD
from tests.slackkit.sender import Submit
from tests.stories import given_group, schedule

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEC_1 = datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM)
JAN_26 = datetime(2027, 1, 26, 19, 30, tzinfo=AMSTERDAM)
CASE = CaseFields(
    title="Deadlines",
    situation="A client keeps moving deadlines.",
    question="How do I hold my ground?",
    kind="incident",
    method="incident",
    urgency="high",
    link=None,
)


@pytest.fixture
def case_done(bot: Bot) -> Bot:
    """Noord met on 1 December; Bram's case was worked through and ended."""
    given_group(bot.db, bot.clock(), language="en")
    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")
    with bot.db.begin() as session:
        meeting = session.scalars(select(Meeting)).one()
        add_case(session, meeting.group, meeting.id, BRAM, CASE, bot.clock())
    jobs.install(bot.services)
    bot.clock.set(DEC_1)
    bot.slack.command(ANNA, NOORD, "start")
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 1/"))
    with bot.db() as session:
        from storage.models import CaseRun

        run_id = session.scalars(select(CaseRun.id)).one()
    bot.slack.click(BRAM, "run_end", str(run_id), channel=NOORD, message_ts="1")
    return bot


def dm_to(bot: Bot, user: str, words: str, count: int = 1) -> Call:
    return bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == user and words in c.all_text, count
    )[count - 1]


def button_in(message: Call | dict[str, Any], action_id: str, nth: int = 0) -> dict[str, Any]:
    found = [
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]
    return found[nth]


def fire(bot: Bot, kind: str, meeting_index: int = 0) -> None:
    with bot.db() as session:
        reminder_ids = session.scalars(
            select(Reminder.id).where(Reminder.kind == kind).order_by(Reminder.id)
        ).all()
    jobs.send_reminder(TEAM_ID, reminder_ids[meeting_index])


def write_takeaways(
    bot: Bot,
    share: bool,
    goal: str = "Agree deadlines in writing",
    *,
    title: str = "Deadlines",
    learned: str = "I say yes too fast.",
    attention: str = "Pause before answering.",
    submit: Submit | None = None,
) -> None:
    """Bram answers the thank-you DM of his case (titled `title`) with his takeaways. His
    Slack is in Dutch: what he reads alone is Dutch, though the group speaks English."""
    request = dm_to(bot, BRAM, f"Dank je voor het inbrengen van *{escape(title)}*")
    button = button_in(request, "takeaway_write")
    bot.slack.click(BRAM, "takeaway_write", button["value"], channel="D0BRAM", message_ts="42.1")
    view = bot.fake.wait_for("views.open", lambda c: c["view"]["callback_id"] == "takeaway_modal")[
        0
    ]["view"]
    values = fill(view, learned=learned, attention=attention, goal=goal)
    values["target"] = {"target": {"type": "datepicker", "selected_date": "2027-01-15"}}
    if share:
        values["share"] = {
            "share": {"type": "checkboxes", "selected_options": [{"value": "share"}]}
        }
    assert (submit or bot.slack.submit)(BRAM, view, values).body == ""


def test_after_the_case_the_owner_is_thanked_privately_and_writes_down_a_goal(
    case_done: Bot,
) -> None:
    bot = case_done

    write_takeaways(bot, share=False)

    saved = bot.fake.wait_for("chat.update", lambda c: c["channel"] == "D0BRAM")[0]
    assert "Opgeslagen: je inzichten en doel bij *Deadlines*" in saved.all_text
    with bot.db() as session:
        takeaway = session.scalars(select(Takeaway)).one()
    assert (takeaway.status, takeaway.goal, takeaway.shared) == (
        "open",
        "Agree deadlines in writing",
        False,
    )
    assert takeaway.target_date == date(2027, 1, 15)
    assert all("I say yes too fast" not in c.all_text for c in bot.fake.messages_in(NOORD))


def test_a_takeaway_without_a_goal_or_with_a_past_date_gets_field_errors(case_done: Bot) -> None:
    bot = case_done
    request = dm_to(bot, BRAM, "Dank je voor het inbrengen van")
    bot.slack.click(
        BRAM,
        "takeaway_write",
        button_in(request, "takeaway_write")["value"],
        channel="D0BRAM",
        message_ts="1",
    )
    view = bot.fake.wait_for("views.open", lambda c: c["view"]["callback_id"] == "takeaway_modal")[
        0
    ]["view"]
    values = fill(view, learned="Something", attention="", goal="", target="2020-01-01")

    reply = bot.slack.submit(BRAM, view, values)

    assert set(reply.json["errors"]) == {"attention", "goal", "target"}


def test_one_gentle_reminder_after_two_days_and_never_more(case_done: Bot) -> None:
    bot = case_done
    dm_to(bot, BRAM, "Dank je voor het inbrengen van")
    bot.clock.set(DEC_1 + timedelta(days=2, hours=2))

    fire(bot, "takeaway_nudge")
    fire(bot, "takeaway_nudge")

    nudges = [
        c for c in bot.fake.calls_to("chat.postMessage") if "vriendelijke herinnering" in c.all_text
    ]
    assert [c["channel"] for c in nudges] == [BRAM]


def test_no_reminder_for_an_owner_who_already_answered(case_done: Bot) -> None:
    bot = case_done
    write_takeaways(bot, share=False)
    bot.clock.set(DEC_1 + timedelta(days=2, hours=2))

    fire(bot, "takeaway_nudge")

    assert not [
        c for c in bot.fake.calls_to("chat.postMessage") if "vriendelijke herinnering" in c.all_text
    ]


def next_meeting(bot: Bot) -> None:
    bot.clock.set(DEC_1 + timedelta(days=7))
    schedule(bot, DEV, JAN_26)
    bot.fake.wait_for("chat.postMessage", lambda c: "Meeting planned" in c.all_text, count=2)


def test_before_the_next_meeting_the_goal_is_followed_up_and_shared_at_the_opening(
    case_done: Bot,
) -> None:
    bot = case_done
    write_takeaways(bot, share=True)
    next_meeting(bot)
    bot.clock.set(JAN_26 - timedelta(days=3))

    fire(bot, "follow_up", meeting_index=1)

    ask = dm_to(bot, BRAM, "vorige keer was je doel _Agree deadlines in writing_")
    assert "Voor de volgende bijeenkomst van *Noord*" in ask.all_text
    assert "je antwoord komt ter sprake als de bijeenkomst begint" in ask.all_text
    assert [b["text"]["text"] for b in ask["blocks"][1]["elements"]] == [
        "Gelukt",
        "Deels",
        "Nog niet",
        "Niet meer van toepassing",
    ]
    partly = button_in(ask, "goal_follow_up_partly")
    bot.slack.click(BRAM, partly["action_id"], partly["value"], channel="D0BRAM", message_ts="77.1")
    noted = bot.fake.wait_for("chat.update", lambda c: c["ts"] == "77.1")[0]
    assert "genoteerd bij je doel _Agree deadlines in writing_: *Deels*" in noted.all_text
    with bot.db() as session:
        assert session.scalars(select(Takeaway.status)).one() == "partly"

    reflect = button_in(noted, "goal_update")
    assert reflect["text"]["text"] == "Voeg een regel reflectie toe"
    bot.slack.click(BRAM, "goal_update", reflect["value"], channel="D0BRAM", message_ts="77.1")
    view = bot.fake.wait_for("views.open", lambda c: c["view"]["callback_id"] == "goal_modal")[0][
        "view"
    ]
    assert fill(view)["status"]["status"]["selected_option"]["value"] == "partly"
    bot.slack.submit(BRAM, view, fill(view, reflection="Two of three clients agreed."))
    bot.fake.wait_for(
        "chat.update", lambda c: c["ts"] == "77.1" and "Two of three clients" in c.all_text
    )

    bot.clock.set(JAN_26)
    bot.slack.command(CHLOE, NOORD, "start")
    opening = bot.fake.wait_for("chat.postMessage", lambda c: "has started" in c.all_text, count=2)[
        1
    ]
    assert "Last time's goals" in opening.all_text
    assert (
        "<@U0BRAM>: Agree deadlines in writing · *Partly* · _Two of three clients agreed._"
        in opening.all_text
    )


def test_a_private_follow_up_shows_only_as_a_count(case_done: Bot) -> None:
    bot = case_done
    write_takeaways(bot, share=False)
    next_meeting(bot)
    bot.clock.set(JAN_26 - timedelta(days=3))
    fire(bot, "follow_up", meeting_index=1)
    ask = dm_to(bot, BRAM, "vorige keer was je doel")
    assert "de groep hoort alleen dat er een doel is nagevraagd" in ask.all_text
    achieved = button_in(ask, "goal_follow_up_achieved")  # one click, and it is noted
    bot.slack.click(
        BRAM, achieved["action_id"], achieved["value"], channel="D0BRAM", message_ts="7"
    )
    bot.fake.wait_for("chat.update", lambda c: "*Gelukt*" in c.all_text)

    bot.clock.set(JAN_26)
    bot.slack.command(CHLOE, NOORD, "start")

    opening = bot.fake.wait_for("chat.postMessage", lambda c: "has started" in c.all_text, count=2)[
        1
    ]
    assert "1 more goal was followed up privately." in opening.all_text
    assert "Agree deadlines" not in opening.all_text


def evaluate(
    bot: Bot,
    user: str,
    safety: str,
    useful: str,
    remark: str = "",
    submit: Submit | None = None,
    share: bool = False,
) -> None:
    dutch = user in (ANNA, BRAM)  # their Slack is in Dutch: so are their DMs
    request = dm_to(
        bot, user, "Hoe was de bijeenkomst van *" if dutch else "How was the meeting of *"
    )
    opened = len(bot.fake.calls_to("views.open"))
    bot.slack.click(
        user,
        "meeting_evaluate",
        button_in(request, "meeting_evaluate")["value"],
        channel="D" + user[1:],
        message_ts="5",
    )
    view = bot.fake.wait_for("views.open", count=opened + 1)[-1]["view"]
    assert view["callback_id"] == "evaluation_modal"
    values = fill(view, safety=safety, usefulness=useful, remark=remark)
    if share:
        values["remark_shared"] = fill(view, remark_shared=["share"])["remark_shared"]
    assert (submit or bot.slack.submit)(user, view, values).body == ""
    bot.fake.wait_for(
        "chat.update",
        lambda c: (
            c["channel"] == "D" + user[1:]
            and ("Dank je voor je feedback" if dutch else "Thanks for your feedback") in c.all_text
        ),
    )


def test_the_evaluation_is_shown_anonymously_only_from_three_answers(case_done: Bot) -> None:
    bot = case_done
    bot.clock.set(DEC_1 + timedelta(hours=2))
    fire(bot, "evaluation")
    asked = {
        c["channel"]: c.all_text.split(" *")[0]
        for c in bot.fake.calls_to("chat.postMessage")
        if "meeting of *Noord*" in c.all_text or "bijeenkomst van *Noord*" in c.all_text
    }
    assert asked == {
        ANNA: "Hoe was de bijeenkomst van",
        BRAM: "Hoe was de bijeenkomst van",
        CHLOE: "How was the meeting of",
        DEV: "How was the meeting of",
    }, "each in their own language"

    evaluate(bot, ANNA, "5", "4", "Felt safe.", share=True)
    evaluate(bot, BRAM, "4", "4", "Too long for me.")  # not for the group's eyes
    assert not [
        c for c in bot.fake.messages_in(NOORD) if "How the meeting of Noord went" in c.all_text
    ]

    evaluate(bot, CHLOE, "3", "5")

    results = bot.fake.wait_for(
        "chat.postMessage", lambda c: "How the meeting of Noord went" in c.all_text
    )[0]
    assert results["channel"] == NOORD
    assert "3 answers · safety 4.0 / 5 · usefulness 4.3 / 5" in results.all_text  # the group's
    assert "• Felt safe." in results.all_text
    assert "Too long" not in results.all_text, (
        "a remark reaches the group only if its writer agreed"
    )
    assert "U0ANNA" not in results.all_text and "U0CHLOE" not in results.all_text


def test_goals_command_and_app_home_show_the_members_own_history(case_done: Bot) -> None:
    bot = case_done
    write_takeaways(bot, share=False)

    bot.slack.command(BRAM, NOORD, "goals")
    listing = bot.fake.wait_for(
        "response_url", lambda c: "Agree deadlines in writing" in c.all_text
    )[0]
    assert "_open_" in listing.all_text
    assert "_Wat ik meenam:_ I say yes too fast." in listing.all_text  # Bram reads Dutch

    bot.slack.event({"type": "app_home_opened", "user": BRAM, "tab": "home"}, event_id="Ev9")
    home = bot.fake.wait_for(
        "views.publish", lambda c: c["user_id"] == BRAM and "Deadlines" in c.all_text
    )[-1]
    assert "*Noord* · <#C0NOORD>" in home.all_text
    assert "Agree deadlines in writing" in home.all_text


def test_the_app_home_stays_within_slacks_limits_for_a_long_history() -> None:
    tr = Translator("en")
    tz = ZoneInfo("Europe/Amsterdam")
    meeting = MeetingFacts(1, "G", DEC_1, 120, "Zoom", 2, tz)
    groups = [GroupLine(i, f"Group {i}", f"C{i}", meeting) for i in range(40)]
    cases = [MyCase(i, f"Case {i}", "G", "soon", "submitted", True) for i in range(200)]
    goals = [GoalFacts(i, f"Case {i}", "G", "A goal", "open", None, False) for i in range(200)]

    view = home_view(tr, groups, cases, goals)

    assert len(view["blocks"]) <= 100
    assert any("And 32 more." in str(b) for b in view["blocks"])
