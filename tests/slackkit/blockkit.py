"""Slack's Block Kit rules, as Slack applies them when a message or view arrives.

`message_problems` and `view_problems` return what Slack would refuse (`invalid_blocks`,
`invalid_arguments`), one line each; an empty list means Slack takes it. The fake Slack refuses
with them, and tests call them directly on every builder. The rules and numbers are Slack's
published Block Kit reference: lengths, counts, required fields, unique `block_id` within a
message or view and unique `action_id` within a block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MESSAGE_BLOCKS, VIEW_BLOCKS = 50, 100
MESSAGE_TEXT = 40_000
ID_LENGTH = 255

Problems = list[str]


def _text(node: Any, where: str, out: Problems, limit: int, *, plain_only: bool = False) -> None:
    """A text object: plain_text or mrkdwn, 1 to `limit` characters."""
    if not isinstance(node, dict):
        out.append(f"{where}: a text object is required")
        return
    kind = node.get("type")
    if kind not in ("plain_text", "mrkdwn") or (plain_only and kind != "plain_text"):
        out.append(f"{where}: must be {'plain_text' if plain_only else 'a text object'}")
    text = node.get("text")
    if not isinstance(text, str) or not text:
        out.append(f"{where}: text must not be empty")
    elif len(text) > limit:
        out.append(f"{where}: text is {len(text)} characters, at most {limit}")
    if kind == "mrkdwn" and "emoji" in node:
        out.append(f"{where}: emoji is for plain_text only")


def _length(value: Any, where: str, out: Problems, limit: int, required: bool = False) -> None:
    if value is None:
        if required:
            out.append(f"{where}: required")
        return
    if not isinstance(value, str) or (required and not value):
        out.append(f"{where}: must be a non-empty string")
    elif len(value) > limit:
        out.append(f"{where}: {len(value)} characters, at most {limit}")


def _confirm(node: Any, where: str, out: Problems) -> None:
    if node is None:
        return
    _text(node.get("title"), f"{where}.title", out, 100, plain_only=True)
    _text(node.get("text"), f"{where}.text", out, 300)
    _text(node.get("confirm"), f"{where}.confirm", out, 30, plain_only=True)
    _text(node.get("deny"), f"{where}.deny", out, 30, plain_only=True)
    if node.get("style") not in (None, "primary", "danger"):
        out.append(f"{where}.style: primary or danger")


def _option(node: Any, where: str, out: Problems, plain_only: bool = True) -> None:
    if not isinstance(node, dict):
        out.append(f"{where}: an option object is required")
        return
    _text(node.get("text"), f"{where}.text", out, 75, plain_only=plain_only)
    _length(node.get("value"), f"{where}.value", out, 150, required=True)
    if "description" in node:
        _text(node["description"], f"{where}.description", out, 75, plain_only=plain_only)


def _options(
    element: dict[str, Any], where: str, out: Problems, low: int, high: int, plain_only: bool
) -> list[str]:
    """The element's options (or option groups); returns their values."""
    options = element.get("options")
    if options is None and "option_groups" in element:
        options = [o for g in element["option_groups"] for o in g.get("options") or []]
    if not isinstance(options, list) or not low <= len(options) <= high:
        count = len(options) if isinstance(options, list) else 0
        out.append(f"{where}.options: {count}, must be {low} to {high}")
        return []
    for i, option in enumerate(options):
        _option(option, f"{where}.options[{i}]", out, plain_only)
    values = [o.get("value") for o in options if isinstance(o, dict)]
    if len(set(values)) != len(values):
        out.append(f"{where}.options: values must be unique")
    return [v for v in values if isinstance(v, str)]


def _initial_options(element: dict[str, Any], values: list[str], where: str, out: Problems) -> None:
    chosen = element.get("initial_options") or []
    if "initial_option" in element:
        chosen = [element["initial_option"]]
    for option in chosen:
        if not isinstance(option, dict) or option.get("value") not in values:
            out.append(f"{where}: an initial option must be one of the options")


def _element(element: Any, where: str, out: Problems, in_input: bool) -> None:
    """One interactive element (or image) of a section, actions, context or input block."""
    if not isinstance(element, dict):
        out.append(f"{where}: an element object is required")
        return
    kind = element.get("type")
    check = _ELEMENTS.get(str(kind))
    if check is None:
        out.append(f"{where}: unknown element type {kind!r}")
        return
    if kind != "image":
        _length(element.get("action_id"), f"{where}.action_id", out, ID_LENGTH)
    if "placeholder" in element:
        _text(element["placeholder"], f"{where}.placeholder", out, 150, plain_only=True)
    _confirm(element.get("confirm"), f"{where}.confirm", out)
    if in_input and kind in ("button", "overflow", "image"):
        out.append(f"{where}: {kind} cannot be an input's element")
    check(element, where, out)


def _button(e: dict[str, Any], where: str, out: Problems) -> None:
    _text(e.get("text"), f"{where}.text", out, 75, plain_only=True)
    _length(e.get("value"), f"{where}.value", out, 2000)
    _length(e.get("url"), f"{where}.url", out, 3000)
    _length(e.get("accessibility_label"), f"{where}.accessibility_label", out, 75)
    if e.get("style") not in (None, "primary", "danger"):
        out.append(f"{where}.style: primary or danger")


def _select(e: dict[str, Any], where: str, out: Problems) -> None:
    values = _options(e, where, out, 1, 100, plain_only=True)
    _initial_options(e, values, where, out)


def _overflow(e: dict[str, Any], where: str, out: Problems) -> None:
    _options(e, where, out, 1, 5, plain_only=True)


def _choices(e: dict[str, Any], where: str, out: Problems) -> None:
    values = _options(e, where, out, 1, 10, plain_only=False)
    _initial_options(e, values, where, out)


def _text_input(e: dict[str, Any], where: str, out: Problems) -> None:
    for name in ("min_length", "max_length"):
        value = e.get(name)
        if value is not None and not (isinstance(value, int) and 0 <= value <= 3000):
            out.append(f"{where}.{name}: 0 to 3000")
    initial, longest = e.get("initial_value"), e.get("max_length")
    if isinstance(initial, str) and isinstance(longest, int) and len(initial) > longest:
        out.append(f"{where}.initial_value: longer than max_length")


def _image(e: dict[str, Any], where: str, out: Problems) -> None:
    if not e.get("image_url") and not e.get("slack_file"):
        out.append(f"{where}: image_url or slack_file is required")
    _length(e.get("alt_text"), f"{where}.alt_text", out, 2000, required=True)


def _nothing(_e: dict[str, Any], _where: str, _out: Problems) -> None:
    """Elements with nothing more to check here (pickers of users, dates, times)."""


_ELEMENTS: dict[str, Callable[[dict[str, Any], str, Problems], None]] = {
    "button": _button,
    "static_select": _select,
    "multi_static_select": _select,
    "overflow": _overflow,
    "radio_buttons": _choices,
    "checkboxes": _choices,
    "plain_text_input": _text_input,
    "image": _image,
    "datepicker": _nothing,
    "timepicker": _nothing,
    "datetimepicker": _nothing,
    "users_select": _nothing,
    "multi_users_select": _nothing,
    "conversations_select": _nothing,
    "multi_conversations_select": _nothing,
    "channels_select": _nothing,
    "multi_channels_select": _nothing,
    "number_input": _nothing,
    "url_text_input": _nothing,
    "email_text_input": _nothing,
}


def _unique_action_ids(elements: list[Any], where: str, out: Problems) -> None:
    ids = [e.get("action_id") for e in elements if isinstance(e, dict) and e.get("action_id")]
    for action in sorted({a for a in ids if ids.count(a) > 1}):
        out.append(f"{where}: action_id {action!r} is used more than once in this block")


def _block(block: Any, where: str, out: Problems) -> None:
    if not isinstance(block, dict):
        out.append(f"{where}: a block object is required")
        return
    kind = block.get("type")
    _length(block.get("block_id"), f"{where}.block_id", out, ID_LENGTH)
    if kind == "section":
        if "text" not in block and "fields" not in block:
            out.append(f"{where}: a section needs text or fields")
        if "text" in block:
            _text(block["text"], f"{where}.text", out, 3000)
        fields = block.get("fields")
        if fields is not None:
            if not isinstance(fields, list) or not 1 <= len(fields) <= 10:
                out.append(f"{where}.fields: 1 to 10")
            else:
                for i, item in enumerate(fields):
                    _text(item, f"{where}.fields[{i}]", out, 2000)
        if "accessory" in block:
            _element(block["accessory"], f"{where}.accessory", out, in_input=False)
    elif kind == "header":
        _text(block.get("text"), f"{where}.text", out, 150, plain_only=True)
    elif kind == "divider":
        pass
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
            out.append(f"{where}.elements: 1 to 10")
            return
        for i, item in enumerate(elements):
            if isinstance(item, dict) and item.get("type") == "image":
                _image(item, f"{where}.elements[{i}]", out)
            else:
                _text(item, f"{where}.elements[{i}]", out, 3000)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not 1 <= len(elements) <= 25:
            out.append(f"{where}.elements: 1 to 25")
            return
        for i, item in enumerate(elements):
            _element(item, f"{where}.elements[{i}]", out, in_input=False)
        _unique_action_ids(elements, where, out)
    elif kind == "input":
        _text(block.get("label"), f"{where}.label", out, 2000, plain_only=True)
        if "hint" in block:
            _text(block["hint"], f"{where}.hint", out, 2000, plain_only=True)
        _element(block.get("element"), f"{where}.element", out, in_input=True)
    elif kind == "image":
        _image(block, where, out)
        if "title" in block:
            _text(block["title"], f"{where}.title", out, 2000, plain_only=True)
    elif kind not in ("rich_text", "file", "video"):
        out.append(f"{where}: unknown block type {kind!r}")


def blocks_problems(blocks: Any, limit: int) -> Problems:
    """What is wrong with a list of blocks, as Slack checks it."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return ["blocks: must be a list"]
    out: Problems = []
    if len(blocks) > limit:
        out.append(f"blocks: {len(blocks)}, at most {limit}")
    for i, block in enumerate(blocks):
        _block(block, f"blocks[{i}]", out)
    ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    for block_id in sorted({b for b in ids if ids.count(b) > 1}):
        out.append(f"blocks: block_id {block_id!r} is used more than once")
    return out


def message_problems(message: dict[str, Any]) -> Problems:
    """What Slack would refuse in a message (chat.postMessage, chat.update, a response_url)."""
    out = blocks_problems(message.get("blocks"), MESSAGE_BLOCKS)
    text = message.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT:
        out.append(f"text: {len(text)} characters, at most {MESSAGE_TEXT}")
    empty = not message.get("blocks") and not text and not message.get("attachments")
    if empty and not message.get("delete_original"):
        out.append("text or blocks: one is required")
    return out


def view_problems(view: Any) -> Problems:
    """What Slack would refuse in a modal or an App Home view."""
    if not isinstance(view, dict):
        return ["view: an object is required"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"view.type: modal or home, not {kind!r}"]
    if not isinstance(view.get("blocks"), list):
        return ["view.blocks: required"]
    out = blocks_problems(view["blocks"], VIEW_BLOCKS)
    _length(view.get("private_metadata"), "private_metadata", out, 3000)
    _length(view.get("callback_id"), "callback_id", out, ID_LENGTH)
    _length(view.get("external_id"), "external_id", out, ID_LENGTH)
    if kind == "modal":
        _text(view.get("title"), "title", out, 24, plain_only=True)
        for name in ("submit", "close"):
            if name in view:
                _text(view[name], name, out, 24, plain_only=True)
        has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in view["blocks"])
        if has_input and "submit" not in view:
            out.append("submit: required in a modal with input blocks")
    return out
