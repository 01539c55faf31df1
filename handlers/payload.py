"""Ids and values read from a request's payload, checked before anything uses them.

Slack signs what it sends, but a button's value comes back exactly as the bot (or anyone who
crafted a payload) wrote it. Every id a listener reads goes through `record_id`; a value that is
not one raises `BadPayload`, which the app answers with a quiet 400 and one warning line."""

from __future__ import annotations

from typing import Any

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
