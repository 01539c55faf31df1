"""One language rule: what the group sees together is in the group's language; what one person
sees alone is in their own Slack language when it is one we speak, else in the group's."""

from __future__ import annotations

from datetime import datetime

from bot import jobs
from rendering.i18n import language_for
from tests.conftest import Bot
from tests.slackkit.fake_slack import FakeUser
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, DEV, NOORD
from tests.stories import given_group, open_modal
from tests.test_followup import AMSTERDAM, DEC_1, fire

FRANCINE = "U0FRANCINE"  # her Slack speaks French, which the bot does not


def test_an_english_member_of_a_dutch_group_reads_alone_in_english_and_with_the_group_in_dutch(
    bot: Bot,
) -> None:
    given_group(bot.db, bot.clock(), language="nl", members=(ANNA, DEV))

    anna_form = open_modal(bot, ANNA, "schedule")
    dev_form = open_modal(bot, DEV, "schedule")
    assert anna_form["title"]["text"] == "Bijeenkomst plannen"
    assert dev_form["title"]["text"] == "Plan a meeting"

    assert bot.slack.submit(DEV, dev_form, fill(dev_form, start=DEC_1)).body == ""
    planned = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == NOORD)[0]
    assert planned.all_text.startswith("Bijeenkomst gepland voor Noord"), "the channel: Dutch"

    bot.slack.command(DEV, NOORD, "meetings")
    [listing] = bot.fake.wait_for("response_url")
    assert "Upcoming meetings of Noord" in listing.all_text, "his private answer: English"

    bot.slack.event({"type": "app_home_opened", "user": DEV, "tab": "home"})
    home = bot.fake.wait_for("views.publish", lambda c: c["user_id"] == DEV)[-1]
    assert "Your groups" in home.all_text

    jobs.install(bot.services)
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "case_request")
    asked = {
        c["channel"]: c["text"]
        for c in bot.fake.calls_to("chat.postMessage")
        if c["channel"] in (ANNA, DEV)
    }
    assert asked == {
        ANNA: "De volgende bijeenkomst van *Noord* komt eraan. "
        "Wil je een casus uit je werk inbrengen?",
        DEV: "The next meeting of *Noord* is coming up. "
        "Would you like to bring in a case from your work?",
    }


def test_a_member_whose_slack_speaks_a_language_we_do_not_reads_the_group_s(bot: Bot) -> None:
    bot.fake.add_user(FakeUser(FRANCINE, "francine", "Europe/Paris", "fr-FR"))
    given_group(bot.db, bot.clock(), language="nl", members=(ANNA, FRANCINE))

    form = open_modal(bot, FRANCINE, "schedule")

    assert form["title"]["text"] == "Bijeenkomst plannen"
    assert language_for("fr-FR", "en") == "en" and language_for(None, "nl") == "nl"
