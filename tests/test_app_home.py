"""Stories about the App Home tab."""

from __future__ import annotations

from tests.conftest import Bot
from tests.slackkit.people import ANNA, DEV


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
