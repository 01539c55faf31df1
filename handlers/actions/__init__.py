"""Block action listeners (buttons, selects)."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Later capabilities add their button listeners here."""
