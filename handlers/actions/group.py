"""The Edit button under `/intervisie group`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import group_by_id, refusal, tell
from handlers.context import services_of
from handlers.payload import action_id, user_of
from rendering.group_modal import group_modal
from storage.groups import fields_of


def edit_group(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    group = group_by_id(services, action_id(action))
    refused = refusal(services, user_id, group)
    if refused is not None or group is None:
        tell(respond, refused or "")
        return
    view = group_modal(
        services.directory.translator(user_of(body), group.language),
        fields_of(group),
        channel_id=group.channel_id,
        group_id=group.id,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
