"""Publish the App Home tab when someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.services import services_of
from handlers.blocks.home_view import home_view


def app_home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab") != "home":
        return
    user_id = str(event["user"])
    tr = services_of(context).directory.translator(user_id)
    client.views_publish(user_id=user_id, view=home_view(tr))
