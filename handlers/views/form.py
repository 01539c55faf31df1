"""Read what someone typed into a modal (view.state.values) and its private metadata."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from bot.i18n import Translator, language_for


class Submitted:
    def __init__(self, view: dict[str, Any]) -> None:
        self._values: dict[str, dict[str, Any]] = (view.get("state") or {}).get("values") or {}
        try:
            self.metadata: dict[str, Any] = json.loads(view.get("private_metadata") or "{}")
        except json.JSONDecodeError:
            self.metadata = {}

    def _element(self, block_id: str) -> dict[str, Any]:
        element: dict[str, Any] = (self._values.get(block_id) or {}).get(block_id) or {}
        return element

    def text(self, block_id: str) -> str:
        return str(self._element(block_id).get("value") or "").strip()

    def number(self, block_id: str) -> int | None:
        raw = self.text(block_id)
        try:
            return int(raw)
        except ValueError:
            return None

    def users(self, block_id: str) -> list[str]:
        return list(self._element(block_id).get("selected_users") or [])

    def user(self, block_id: str) -> str | None:
        return self._element(block_id).get("selected_user") or None

    def choice(self, block_id: str) -> str | None:
        selected = self._element(block_id).get("selected_option") or {}
        return selected.get("value")

    def moment(self, block_id: str) -> datetime | None:
        raw = self._element(block_id).get("selected_date_time")
        if raw is None:
            return None
        return datetime.fromtimestamp(int(raw), UTC)

    def translator(self) -> Translator:
        """Errors speak the language the modal was shown in."""
        return Translator(language_for(None, self.metadata.get("lang")))

    def day(self, block_id: str) -> date | None:
        raw = self._element(block_id).get("selected_date")
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            return None

    def checked(self, block_id: str) -> list[str]:
        return [o.get("value") for o in self._element(block_id).get("selected_options") or []]

    def metadata_int(self, name: str) -> int | None:
        value = self.metadata.get(name)
        return value if isinstance(value, int) else None
