"""Stories about the App Home tab."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Meeting
from tests.conftest import Bot
from tests.slackkit.people import ANNA, DEV, NOORD
from tests.test_live_session import meeting_day, start_meeting

__all__ = ["meeting_day"]


def test_dev_opens_the_app_home_and_sees_a_welcome_in_english(bot: Bot) -> None:
    reply = bot.slack.event({"type": "app_home_opened", "user": DEV, "tab": "home"})

    assert reply.status == 200
    [published] = bot.fake.wait_for("views.publish")
    assert published["user_id"] == DEV
    assert published["view"]["type"] == "home"
    assert "Welcome to intervisie" in published.all_text
    assert "the pinned panel has a button for everything" in published.all_text


def test_anna_sees_the_welcome_in_dutch(bot: Bot) -> None:
    bot.slack.event({"type": "app_home_opened", "user": ANNA, "tab": "home"})

    [published] = bot.fake.wait_for("views.publish")
    assert "Welkom bij intervisie" in published.all_text
    assert "het vastgemaakte paneel een knop voor alles" in published.all_text


def test_opening_the_messages_tab_publishes_nothing(bot: Bot) -> None:
    bot.slack.event({"type": "app_home_opened", "user": ANNA, "tab": "messages"})

    assert bot.fake.calls_to("views.publish") == []


def test_while_a_meeting_runs_the_app_home_says_so_and_links_its_thread(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)
    with bot.db() as session:
        opening = session.scalars(select(Meeting.opening_ts)).one()
    assert opening is not None

    bot.slack.event({"type": "app_home_opened", "user": DEV, "tab": "home"})

    home = bot.fake.wait_for("views.publish", lambda c: c["user_id"] == DEV)[-1]
    thread = f"https://intervisie.example/archives/{NOORD}/p{opening.replace('.', '')}"
    assert f"A meeting is under way. <{thread}|Open its thread>" in home.all_text
    assert "No meeting planned" not in home.all_text
