"""Publish the App Home tab when someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.context import services_of
from usecases.home import publish_home


def app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    """The Home of the workspace the event came from, with that workspace's own installation:
    never answered with another workspace's token (one whose group the person is in)."""
    if event.get("tab") != "home":
        return
    services = services_of(context)
    if context.team_id and services.team_id and context.team_id != services.team_id:
        return
    publish_home(services, str(event["user"]))
