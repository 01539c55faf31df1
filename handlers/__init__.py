"""Bolt listeners, grouped like Slack's starter template."""

from __future__ import annotations

from slack_bolt import App

from handlers import actions, commands, events, views


def register(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
