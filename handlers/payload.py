"""Ids and values read from a request's payload, checked before anything uses them.

Slack signs what it sends, but a button's value comes back exactly as the bot (or anyone who
crafted a payload) wrote it. Every id a listener reads goes through `record_id`; a value that is
not one raises `BadPayload`, which the app answers with a quiet 400 and one warning line."""

from __future__ import annotations

import re
from typing import Any

from rendering.markup import CONTROL, Mrkdwn, unescape
from rendering.run_modals import CONTRIBUTION_MAX
from usecases.live.replies import Reply

# Row ids are PostgreSQL `integer`s: anything larger cannot name a row.
MAX_RECORD_ID = 2**31 - 1
MAX_VALUE = 2000  # Slack's limit for a button's value


class BadPayload(Exception):
    """A signed request whose payload the bot cannot read; the message names the part, never
    its content."""


def record_id(raw: object) -> int:
    """A positive row id written as digits, as the bot puts it in buttons and metadata."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 10:
        number = int(raw)
    else:
        raise BadPayload("not a record id")
    if not 1 <= number <= MAX_RECORD_ID:
        raise BadPayload("record id out of range")
    return number


def action_value(action: Any) -> str:
    """The `value` of a clicked button, as the bot wrote it."""
    value = action.get("value") if isinstance(action, dict) else None
    if not isinstance(value, str) or not value or len(value) > MAX_VALUE:
        raise BadPayload("missing or malformed action value")
    return value


def action_id(action: Any) -> int:
    """The row id a button carries as its value."""
    return record_id(action_value(action))


def clicked_at(action: Any) -> str:
    """Slack's moment of a click ("1700000000.123456"): one key per click, so a message a
    click sends goes once, however often Slack delivers the click."""
    moment = action.get("action_ts") if isinstance(action, dict) else None
    if not isinstance(moment, str) or len(moment) > 32 or not moment.replace(".", "").isdigit():
        raise BadPayload("missing or malformed action_ts")
    return moment


def run_and_phase(action: Any) -> tuple[int, int | None]:
    """An add button's "run:phase" (older buttons carry the run only)."""
    run, _, phase = action_value(action).partition(":")
    if not phase:
        return record_id(run), None
    if not phase.isascii() or not phase.isdigit() or len(phase) > 3:
        raise BadPayload("not a phase")
    return record_id(run), int(phase)


def user_of(body: dict[str, Any]) -> str:
    """Who clicked or submitted."""
    user = body.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    if not isinstance(user_id, str) or not user_id.isascii() or not 2 <= len(user_id) <= 32:
        raise BadPayload("missing user")
    return user_id


SLACK_ID = re.compile(r"[A-Z0-9]{2,32}")
MESSAGE_TS = re.compile(r"\d{1,12}\.\d{1,8}")
# New replies; a reply also sent to the channel is one too. Everything else (joins, topics,
# bot messages, files without text) is no reply.
REPLY_SUBTYPES = (None, "thread_broadcast")


def slack_id(raw: object) -> str:
    """A Slack id (a channel, user or team) as Slack writes them."""
    if not isinstance(raw, str) or not SLACK_ID.fullmatch(raw):
        raise BadPayload("not a Slack id")
    return raw


def reply_in_thread(event: dict[str, Any], deleted: bool = False) -> Reply | None:
    """A person's message in a thread (`deleted`: as Slack describes a deleted one), or None
    for anything else the channel's events carry: those are ignored, never an error."""
    message = event.get("previous_message") if deleted else event.get("message", event)
    if not isinstance(message, dict) or message.get("bot_id") or message.get("app_id"):
        return None
    if not deleted and event is message and event.get("subtype") not in REPLY_SUBTYPES:
        return None
    parts = [event.get("channel"), message.get("thread_ts"), message.get("user")]
    ts, text = message.get("ts"), message.get("text")
    if not all(isinstance(p, str) for p in (*parts, ts, text)):
        return None
    channel, thread, user = parts
    if not (SLACK_ID.fullmatch(channel) and SLACK_ID.fullmatch(user)):
        return None
    if not (MESSAGE_TS.fullmatch(thread) and MESSAGE_TS.fullmatch(ts)) or thread == ts:
        return None  # not in a thread, or the thread's own first message
    typed = CONTROL.sub("", unescape(Mrkdwn(text))).strip()
    if len(typed) > CONTRIBUTION_MAX:
        typed = typed[: CONTRIBUTION_MAX - 1] + "…"
    return Reply(channel, thread, user, ts, typed) if typed or deleted else None
