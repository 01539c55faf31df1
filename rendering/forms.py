"""Modal input elements, shared by the group, meeting and proposal modals."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rendering.blocks import Block, fit, plain
from rendering.markup import unescape


def modal(
    callback_id: str,
    title: str,
    submit: str,
    close: str,
    blocks: list[Block],
    metadata: dict[str, Any],
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(fit(title, 24)),
        "submit": plain(fit(submit, 24)),
        "close": plain(fit(close, 24)),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def field(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def text_input(
    initial: str | None = None,
    *,
    max_length: int = 3000,
    multiline: bool = False,
    placeholder: str | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "max_length": max_length, "multiline": multiline}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = plain(placeholder)
    return element


def number_input(initial: int | None, minimum: int, maximum: int) -> Block:
    element: Block = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "min_value": str(minimum),
        "max_value": str(maximum),
    }
    if initial is not None:
        element["initial_value"] = str(initial)
    return element


def datetime_input(initial: datetime | None) -> Block:
    element: Block = {"type": "datetimepicker"}
    if initial is not None:
        element["initial_date_time"] = int(initial.timestamp())
    return element


def option(text: str, value: str) -> Block:
    return {"text": plain(fit(unescape(text), 75)), "value": value}
