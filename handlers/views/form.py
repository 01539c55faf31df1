"""Read what someone typed into a modal (view.state.values) and its private metadata.

Slack sends well-formed payloads, but nothing here trusts that: a value of the wrong type or
shape reads as "not filled in", so the modal answers with a field error instead of crashing.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, time
from typing import Any

from handlers.payload import BadPayload, record_id
from rendering.i18n import Translator, language_for
from rendering.markup import CONTROL


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Submitted:
    def __init__(self, view: dict[str, Any]) -> None:
        self._values = _dict(_dict(view.get("state")).get("values"))
        raw = view.get("private_metadata")
        try:
            metadata = json.loads(raw) if isinstance(raw, str) and raw else {}
        except (json.JSONDecodeError, RecursionError):
            metadata = {}
        self.metadata: dict[str, Any] = _dict(metadata)
        view_id = view.get("id")
        self._view_id = view_id if isinstance(view_id, str) and view_id else None

    def submission(self, user_id: str) -> str | None:
        """Slack keeps a modal's id across a double click on Submit: one key per modal shown
        and person submitting it, so nobody can spend someone else's submission. Kept as a
        one-way hash: the record of handled submissions names nobody."""
        if not self._view_id:
            return None
        return "view:" + hashlib.sha256(f"{self._view_id}:{user_id}".encode()).hexdigest()[:40]

    def _element(self, block_id: str) -> dict[str, Any]:
        """The state of the input in block `block_id` (an input block holds one element, whose
        action_id is the block's unless the modal was updated to show a new value)."""
        block = _dict(self._values.get(block_id))
        if block_id in block or len(block) != 1:
            return _dict(block.get(block_id))
        return _dict(next(iter(block.values())))

    def text(self, block_id: str) -> str:
        value = self._element(block_id).get("value")
        return CONTROL.sub("", value).strip() if isinstance(value, str) else ""

    def number(self, block_id: str) -> int | None:
        raw = self.text(block_id)
        if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > 9:
            return None
        return int(raw)

    def users(self, block_id: str) -> list[str]:
        selected = self._element(block_id).get("selected_users")
        if not isinstance(selected, list):
            return []
        return [user for user in selected if isinstance(user, str) and user]

    def user(self, block_id: str) -> str | None:
        selected = self._element(block_id).get("selected_user")
        return selected if isinstance(selected, str) and selected else None

    def choice(self, block_id: str) -> str | None:
        value = _dict(self._element(block_id).get("selected_option")).get("value")
        return value if isinstance(value, str) else None

    def moment(self, block_id: str) -> datetime | None:
        raw = self._element(block_id).get("selected_date_time")
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None
        try:
            return datetime.fromtimestamp(int(raw), UTC)
        except (OverflowError, OSError, ValueError):
            return None

    def translator(self) -> Translator:
        """Errors speak the language the modal was shown in."""
        language = self.metadata.get("lang")
        return Translator(language_for(None, language if isinstance(language, str) else None))

    def day(self, block_id: str) -> date | None:
        raw = self._element(block_id).get("selected_date")
        try:
            return date.fromisoformat(raw) if isinstance(raw, str) and raw else None
        except ValueError:
            return None

    def clock(self, block_id: str) -> time | None:
        """A timepicker's "HH:MM"."""
        raw = self._element(block_id).get("selected_time")
        if not isinstance(raw, str) or not re.fullmatch(r"\d\d:\d\d", raw):
            return None
        try:
            return time.fromisoformat(raw)
        except ValueError:
            return None

    def checked(self, block_id: str) -> list[str]:
        selected = self._element(block_id).get("selected_options")
        if not isinstance(selected, list):
            return []
        values = (_dict(option).get("value") for option in selected)
        return [value for value in values if isinstance(value, str)]

    def metadata_int(self, name: str) -> int | None:
        """A row id the bot put in the modal's metadata; None when it is not one."""
        try:
            return record_id(self.metadata.get(name))
        except BadPayload:
            return None
