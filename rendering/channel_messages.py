"""Content-free messages about reachability: a member without DMs, a group channel gone or back."""

from __future__ import annotations

from typing import Any

from rendering.blocks import section
from rendering.i18n import Translator
from rendering.markup import channel, mention


def _message(text: str) -> dict[str, Any]:
    return {"text": text, "blocks": [section(text)]}


def unreachable_note(tr: Translator, user_id: str) -> dict[str, Any]:
    return _message(tr.t("channel.unreachable", user=mention(user_id)))


def channel_lost_message(tr: Translator, channel_id: str, reason: str) -> dict[str, Any]:
    why = tr.t("channel.archived" if reason == "is_archived" else "channel.removed")
    return _message(tr.t("channel.lost", channel=channel(channel_id), why=why))


def channel_back_message(tr: Translator, channel_id: str) -> dict[str, Any]:
    return _message(tr.t("channel.back", channel=channel(channel_id)))
