"""Pure Block Kit builders: one module per view or message; tests call them directly."""

from __future__ import annotations

from typing import Any

from rendering.i18n import Translator
from rendering.markup import Mrkdwn, escape, unescape

Block = dict[str, Any]


def fit(text: str, limit: int) -> str:
    """`text` within Slack's `limit` of characters, cut after a whole word with "…" when it is
    too long (a word longer than the limit is cut where it must be)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-") + "…"


def plain(text: str, emoji: bool = True) -> dict[str, Any]:
    """Plain text shows as it is: markup the bot made is turned back into the typed text."""
    return {"type": "plain_text", "text": unescape(text), "emoji": emoji}


def mrkdwn(text: str, limit: int = 3000) -> dict[str, Any]:
    """Slack markup: text a person typed is escaped here, so it can never ping or link."""
    return {"type": "mrkdwn", "text": Mrkdwn(escape(text)[:limit])}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(fit(unescape(text), 150))}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def divider() -> Block:
    return {"type": "divider"}


def asking(text: str, buttons: list[Block], note: str) -> dict[str, Any]:
    """A message that asks one thing: its text, the buttons that answer it, a note below."""
    return {
        "text": text,
        "blocks": [section(text), {"type": "actions", "elements": buttons}, context(note)],
    }


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(fit(unescape(text), 75)),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def confirm_dialog(tr: Translator, keys: str, text: str, danger: bool = False) -> Block:
    """The "are you sure?" of a button: title, yes and no come from `{keys}_title/_yes/_no`."""
    dialog: Block = {
        "title": plain(fit(tr.t(f"{keys}_title"), 100)),
        "text": mrkdwn(text),
        "confirm": plain(fit(tr.t(f"{keys}_yes"), 30)),
        "deny": plain(fit(tr.t(f"{keys}_no"), 30)),
    }
    if danger:
        dialog["style"] = "danger"
    return dialog
