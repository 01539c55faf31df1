"""Pure Block Kit builders: one module per view or message; tests call them directly."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]


def plain(text: str, emoji: bool = True) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": emoji}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text[:150])}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text[:3000])}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(text)]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text[:75]),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element
