"""Slash command listeners."""

from __future__ import annotations

from slack_bolt import App

from handlers.commands.intervisie import intervisie_command


def register(app: App) -> None:
    app.command("/intervisie")(intervisie_command)
