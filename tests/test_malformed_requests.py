"""Requests nobody should send: anyone on the internet who posts to /slack/events without
Slack's signature is turned away before the body is read, and a signed payload the bot does not
expect gets a quiet 200 or 400 with one warning line, never a 500 or a traceback."""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID
from tests.slackkit.people import ANNA, NOORD
from tests.test_authorization import World, listeners, world

__all__ = ["world"]

NESTED = "[" * 100_000 + "]" * 100_000
BODIES: dict[str, bytes] = {
    "malformed json": b'payload={"type": "block_actions", ',
    "binary garbage": bytes(range(256)) * 20,
    "deep nesting": urlencode({"payload": NESTED}).encode(),
    "a command": urlencode({"command": "/intervisie", "text": "help", "user_id": ANNA}).encode(),
}


def problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log lines that would alarm an operator: errors, or anything with a traceback."""
    return [
        f"{r.levelname} {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or r.exc_text
    ]


@pytest.mark.parametrize("what", sorted(BODIES))
@pytest.mark.parametrize(
    "signature,timestamp",
    [
        (None, None),
        ("v0=" + "0" * 64, "now"),
        ("v0=" + "0" * 64, "soon"),
        ("v0=abc", "1e9"),
    ],
    ids=["unsigned", "wrongly signed", "non-numeric timestamp", "scientific timestamp"],
)
def test_a_request_without_slacks_signature_is_refused_before_it_is_read(
    bot: Bot,
    caplog: pytest.LogCaptureFixture,
    what: str,
    signature: str | None,
    timestamp: str | None,
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = (
            str(int(time.time())) if timestamp == "now" else timestamp
        )

    reply = bot.slack.raw(BODIES[what], headers)

    assert reply.status == 401
    assert problems(caplog) == []
    assert [c.method for c in bot.fake.calls if c.method != "auth.test"] == []


def test_a_signed_body_that_is_not_a_payload_gets_a_400_and_one_warning(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    for body in (b"[]", b'"text"', b"{", NESTED.encode()):
        caplog.clear()
        reply = bot.slack.post(body, "application/json")
        assert reply.status in (200, 400), body[:10]
        assert problems(caplog) == []
        assert len([r for r in caplog.records if r.levelno == logging.WARNING]) <= 1


def interaction(payload: dict[str, Any]) -> dict[str, Any]:
    return {"team": {"id": TEAM_ID}, "user": {"id": ANNA, "team_id": TEAM_ID}, **payload}


UNEXPECTED: dict[str, dict[str, Any]] = {
    "no actions": interaction({"type": "block_actions", "actions": []}),
    "actions not a list": interaction({"type": "block_actions", "actions": {"a": 1}}),
    "unknown callback": interaction(
        {"type": "view_submission", "view": {"id": "V1", "callback_id": "nobody_knows"}}
    ),
    "legacy message button": interaction(
        {"type": "interactive_message", "callback_id": "x", "actions": [{"name": "a"}]}
    ),
    "view without state": interaction(
        {"type": "view_submission", "view": {"id": "V2", "callback_id": "case_modal"}}
    ),
    "huge metadata id": interaction(
        {
            "type": "view_submission",
            "view": {
                "id": "V3",
                "callback_id": "meeting_modal",
                "private_metadata": json.dumps({"group": 10**30}),
                "state": {"values": {}},
            },
        }
    ),
    "no user": {"type": "block_actions", "actions": [{"action_id": "group_edit", "value": "1"}]},
}


@pytest.mark.parametrize("what", sorted(UNEXPECTED))
def test_a_signed_payload_the_bot_does_not_expect_is_answered_quietly(
    bot: Bot, caplog: pytest.LogCaptureFixture, what: str
) -> None:
    reply = bot.slack.interaction(UNEXPECTED[what])

    assert reply.status in (200, 400)
    assert problems(caplog) == []
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) <= 1


def test_an_event_given_as_a_string_is_answered_quietly(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    envelope = {"type": "event_callback", "team_id": TEAM_ID, "event": "app_home_opened"}

    reply = bot.slack.post(json.dumps(envelope).encode(), "application/json")

    assert reply.status in (200, 400)
    assert problems(caplog) == []


HOSTILE_VALUES: dict[str, Any] = {
    "missing": None,
    "empty": "",
    "words": "twelve",
    "negative": "-1",
    "zero": "0",
    "10^30": "1" + "0" * 30,
    "a list": ["1"],
    "a number": 7,
    "huge": "9" * 5000,
    "two parts of junk": "x:y",
}


def test_every_button_answers_hostile_values_without_a_traceback(
    bot: Bot, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    action_ids = sorted(set(listeners()["action"]))
    assert len(action_ids) > 20
    failures: list[str] = []
    for action_id in action_ids:
        for label, value in HOSTILE_VALUES.items():
            caplog.clear()
            action: dict[str, Any] = {"type": "button", "action_id": action_id, "block_id": "b"}
            if value is not None:
                action["value"] = value
            reply = bot.slack.interaction(
                interaction(
                    {
                        "type": "block_actions",
                        "trigger_id": "trigger-x",
                        "response_url": bot.fake.response_url("action"),
                        "channel": {"id": NOORD},
                        "container": {"type": "message", "channel_id": NOORD},
                        "message": {"ts": "1700000001.000100", "text": ""},
                        "actions": [action],
                    }
                )
            )
            if reply.status not in (200, 400) or problems(caplog):
                failures.append(f"{action_id} with {label}: {reply.status} {problems(caplog)}")
    assert failures == []
