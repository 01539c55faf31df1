"""Fill in a modal the bot opened, as a person would: keep what is prefilled, change some fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def _state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind in ("plain_text_input", "number_input", "url_text_input"):
        return {"type": kind, "value": None if value is None else str(value)}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind in ("static_select", "radio_buttons"):
        if value is None:
            return {"type": kind, "selected_option": None}
        options = element.get("options") or [
            o for group in element["option_groups"] for o in group["options"]
        ]
        chosen = next(o for o in options if o["value"] == value)
        return {"type": kind, "selected_option": chosen}
    if kind == "datetimepicker":
        stamp = int(value.timestamp()) if isinstance(value, datetime) else value
        return {"type": kind, "selected_date_time": stamp}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": [{"value": v} for v in value or []]}
    if kind == "timepicker":
        return {"type": kind, "selected_time": value}
    raise AssertionError(f"no test support for {kind}")


def _initial(element: dict[str, Any]) -> Any:
    kind = element["type"]
    if kind == "multi_users_select":
        return element.get("initial_users")
    if kind == "users_select":
        return element.get("initial_user")
    if kind in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("value")
    if kind == "datetimepicker":
        return element.get("initial_date_time")
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "checkboxes":
        return [o["value"] for o in element.get("initial_options") or []]
    if kind == "timepicker":
        return element.get("initial_time")
    return element.get("initial_value")


def fill(view: dict[str, Any], **changes: Any) -> dict[str, dict[str, Any]]:
    """view.state.values for `view` with its prefilled values, and `changes` by block id."""
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    unknown = set(changes) - set(inputs)
    assert not unknown, f"the modal has no fields {unknown}"
    values: dict[str, dict[str, Any]] = {}
    for block_id, block in inputs.items():
        element = block["element"]
        value = changes[block_id] if block_id in changes else _initial(element)
        values[block_id] = {element["action_id"]: _state(element, value)}
    return values


def input_labels(view: dict[str, Any]) -> dict[str, str]:
    return {b["block_id"]: b["label"]["text"] for b in view["blocks"] if b["type"] == "input"}
