"""Publish the App Home tab when someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.context import services_of
from usecases.home import publish_home


def app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
    if event.get("tab") != "home":
        return
    publish_home(services_of(context), str(event["user"]))
