"""Stories about asking the bot what it does."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import yaml

from bot.config import DEFAULT_SCOPES
from handlers.commands.intervisie import SUBCOMMANDS
from tests.conftest import Bot
from tests.slackkit.people import ANNA, CHLOE, NOORD


def test_anna_types_help_and_sees_what_the_bot_does_in_dutch(bot: Bot) -> None:
    reply = bot.slack.command(ANNA, NOORD, "help")

    assert reply.status == 200
    [answer] = bot.fake.wait_for("response_url")
    assert answer["response_type"] == "ephemeral"
    assert "Intervisiebot" in answer.all_text
    assert "`/intervisie help`: toon dit overzicht" in answer.all_text
    assert bot.fake.messages_in(NOORD) == []


def test_chloe_with_an_english_slack_gets_english_help(bot: Bot) -> None:
    bot.slack.command(CHLOE, NOORD, "help")

    [answer] = bot.fake.wait_for("response_url")
    assert "I help your intervisie group" in answer.all_text
    assert "Members from other organisations in a shared (Slack Connect) channel use the panel" in (
        answer.all_text
    )


def test_the_bare_command_shows_help_too(bot: Bot) -> None:
    bot.slack.command(CHLOE, NOORD, "")

    [answer] = bot.fake.wait_for("response_url")
    assert "What you can type" in answer.all_text


def test_an_unknown_subcommand_gets_a_friendly_pointer_to_help(bot: Bot) -> None:
    bot.slack.command(CHLOE, NOORD, "dance now")

    [answer] = bot.fake.wait_for("response_url")
    assert answer["response_type"] == "ephemeral"
    assert "I don't know `/intervisie dance`" in answer.all_text
    assert "`/intervisie help`" in answer.all_text


def test_a_forged_signature_is_refused(bot: Bot) -> None:
    body = "command=%2Fintervisie&text=help&user_id=U0ANNA"
    reply = bot.slack.post(body, "application/x-www-form-urlencoded", signature="v0=forged")

    assert reply.status == 401
    assert bot.fake.calls_to("response_url") == []


def test_a_replayed_request_older_than_five_minutes_is_refused(bot: Bot) -> None:
    old = int(time.time()) - 600
    body = "command=%2Fintervisie&text=help&user_id=U0ANNA"
    reply = bot.slack.post(body, "application/x-www-form-urlencoded", at=old)

    assert reply.status == 401


def test_when_slack_is_busy_the_bot_waits_and_still_answers_in_the_right_language(
    bot: Bot,
) -> None:
    bot.fake.rate_limit_next("users.info", retry_after=1)

    bot.slack.command(ANNA, NOORD, "help")

    [answer] = bot.fake.wait_for("response_url")
    assert "toon dit overzicht" in answer.all_text
    assert len(bot.fake.calls_to("users.info")) == 2


def test_the_bot_remembers_who_speaks_dutch_and_does_not_ask_slack_every_time(bot: Bot) -> None:
    bot.slack.command(ANNA, NOORD, "help")
    bot.fake.wait_for("response_url")
    bot.slack.command(ANNA, NOORD, "help")
    bot.fake.wait_for("response_url", count=2)

    assert len(bot.fake.calls_to("users.info")) == 1


def test_two_requests_from_a_new_person_at_once_both_get_answered(bot: Bot) -> None:
    racers = [
        threading.Thread(target=bot.slack.command, args=(CHLOE, NOORD, "help")) for _ in range(4)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    answers = bot.fake.wait_for("response_url", count=4)
    assert all("What you can type" in a.all_text for a in answers)


def test_the_manifest_tells_slack_about_every_subcommand(project_root: Path) -> None:
    manifest = yaml.safe_load((project_root / "manifest.yml").read_text())
    [command] = manifest["features"]["slash_commands"]
    hinted = {part.split()[0] for part in command["usage_hint"].split(" | ")}

    assert hinted == set(SUBCOMMANDS)


def test_an_install_asks_for_exactly_the_manifests_bot_scopes(project_root: Path) -> None:
    manifest = yaml.safe_load((project_root / "manifest.yml").read_text())

    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == DEFAULT_SCOPES
