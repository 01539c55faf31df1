"""A click on the group panel: exactly what the matching `/intervisie` subcommand does, for a
member of the panel's group, from any organisation sharing the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import group_by_id, tell
from handlers.commands.call import CommandCall
from handlers.commands.intervisie import SUBCOMMANDS
from handlers.context import services_of
from handlers.payload import BadPayload, action_id, record_id, user_of
from rendering.group_panel import PANEL_ACTIONS, PANEL_MORE, PANEL_PREFIX


def _chosen(action: dict[str, Any]) -> tuple[str, int]:
    """What was asked for, and of which group: a button says it in its action_id and value,
    an option of *More* in its value ("what:group id")."""
    if action.get("action_id") == PANEL_MORE:
        chosen = action.get("selected_option")
        value = chosen.get("value") if isinstance(chosen, dict) else None
        what, _, group = str(value or "").partition(":")
    else:
        what, group = str(action.get("action_id") or "").removeprefix(PANEL_PREFIX), ""
    if what not in PANEL_ACTIONS:
        raise BadPayload("not a panel button")
    return what, record_id(group) if group else action_id(action)


def panel_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    what, group_id = _chosen(action)
    group = group_by_id(services, group_id)
    tr = services.directory.translator(user_id, group.language if group else None)
    if group is None or not group.may_act(services.team_id, user_id):
        tell(respond, tr.t("panel.not_yours"))
        return
    subcommand, argument = PANEL_ACTIONS[what]
    command = {
        "user_id": user_id,
        "channel_id": group.channel_id,
        "channel_name": group.name,
        "trigger_id": str(body.get("trigger_id") or ""),
    }
    SUBCOMMANDS[subcommand](CommandCall(services, client, respond, command, argument, tr))
