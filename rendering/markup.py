"""Slack markup made by the bot, kept apart from text people typed.

Slack reads `<...>` in `mrkdwn` and in a message's notification `text` as a mention, a channel
ping or a link. Text a person typed must never become such markup, so every builder passes its
text through `escape`, which turns `&`, `<` and `>` into entities unless the text is `Mrkdwn`:
markup the bot made itself (a catalogue template, a mention, a date). The translation layer
escapes every parameter it fills in, and the block builders and the Web API client escape what
reaches them, so a builder that forgets still shows the text as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_USER_ID = re.compile(r"[UWB][A-Z0-9]{2,20}")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,20}")


# Control characters other than tab and newline, and lone surrogates (half a character, which no
# database or Slack takes): never stored from what people type. PostgreSQL refuses NUL anyway.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


class Mrkdwn(str):
    """Text that is already valid Slack markup, made by the bot: never escaped again."""

    __slots__ = ()


def escape(text: object) -> Mrkdwn:
    """Text that shows as typed in `mrkdwn`; bot-made `Mrkdwn` passes unchanged."""
    if isinstance(text, Mrkdwn):
        return text
    value = str(text)
    for raw, entity in _ENTITIES:
        value = value.replace(raw, entity)
    return Mrkdwn(value)


def unescape(text: str) -> str:
    """The text as people read it, for plain_text fields and files (the reverse of `escape`)."""
    if not isinstance(text, Mrkdwn):
        return text
    value = str(text)
    for raw, entity in reversed(_ENTITIES):
        value = value.replace(entity, raw)
    return value


def join(separator: str, parts: Iterable[object]) -> Mrkdwn:
    """`separator.join(parts)` where each part that is not `Mrkdwn` is escaped."""
    return Mrkdwn(escape(separator).join(escape(part) for part in parts))


def fmt(template: str, *args: object, **params: object) -> Mrkdwn:
    """Fill a markup template the bot wrote; every value is escaped unless it is `Mrkdwn`."""
    return Mrkdwn(
        template.format(*map(escape, args), **{name: escape(v) for name, v in params.items()})
    )


def mention(user_id: str) -> Mrkdwn:
    """`<@U...>`; anything that is not a Slack user id is shown as text instead."""
    if _USER_ID.fullmatch(user_id):
        return Mrkdwn(f"<@{user_id}>")
    return escape(user_id)


def channel(channel_id: str) -> Mrkdwn:
    """`<#C...>`; anything that is not a Slack channel id is shown as text instead."""
    if _CHANNEL_ID.fullmatch(channel_id):
        return Mrkdwn(f"<#{channel_id}>")
    return escape(channel_id)


def mentions(user_ids: Iterable[str]) -> Mrkdwn:
    return join(", ", (mention(user_id) for user_id in user_ids))


def link(url: str, label: str) -> Mrkdwn:
    """`<url|label>` for a web address Slack gave (https only); anything else shows the label."""
    if not url.startswith("https://") or any(c in url for c in "<>| \n"):
        return escape(label)
    return Mrkdwn(f"<{url}|{escape(label).replace('|', '/')}>")


def date(timestamp: int, tokens: str, fallback: str) -> Mrkdwn:
    """A time Slack shows in each reader's own zone, with a readable fallback."""
    safe = escape(fallback).replace("|", "/").replace("^", " ")
    return Mrkdwn(f"<!date^{timestamp}^{tokens}|{safe}>")
