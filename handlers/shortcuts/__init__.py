"""Global shortcut listeners."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.case_modal_opener import open_case_modal
from handlers.context import services_of
from handlers.payload import user_of

CASE_SHORTCUT = "submit_case"


def case_shortcut(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    if not open_case_modal(services, client, body["trigger_id"], user_id):
        client.chat_postMessage(
            channel=user_id, text=services.directory.translator(user_id).t("case.no_group")
        )


def register(app: App) -> None:
    app.shortcut(CASE_SHORTCUT)(case_shortcut)
