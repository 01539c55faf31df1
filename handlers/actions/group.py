"""The Edit button under `/intervisie group`, and the group modal's language."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import group_by_id, refusal, tell
from handlers.context import services_of
from handlers.payload import action_id, user_of
from handlers.views.form import Submitted
from rendering.group_modal import LANGUAGE, RULES, group_modal, rules_for_language, showing_rules
from rendering.i18n import LANGUAGES
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


def group_language_chosen(
    ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The group's language was changed in the group modal: the prefilled ground rules follow
    it, unless the person wrote rules of their own."""
    ack()
    view = body.get("view")
    if not isinstance(view, dict) or not isinstance(view.get("id"), str):
        return
    form = Submitted(view)
    language = form.choice(LANGUAGE)
    if language not in LANGUAGES:
        return
    rules = rules_for_language(form.text(RULES), language)
    if rules is None:
        return
    client.views_update(
        view_id=view["id"], hash=view.get("hash"), view=showing_rules(view, rules, language)
    )
