"""Buttons about cases: submit (from the reminder DM and the App Home), view, edit, withdraw,
vote, confirm the selection, consent to posting; and the kind select inside the case modal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import explain, tell
from handlers.case_modal_opener import open_case_modal
from handlers.context import services_of
from handlers.payload import action_id, record_id, user_of
from handlers.views.form import Submitted
from rendering.case_modal import case_modal
from rendering.my_cases import case_view_modal, consent_answered_message, my_cases_message
from usecases.answers import Answer
from usecases.cases import (
    answer_consent,
    choose_cases,
    my_cases,
    own_case,
    targets_for,
    vote,
    withdraw,
)
from usecases.home import publish_home
from usecases.services import Services


def _refresh_lists(services: Services, body: dict[str, Any], respond: Respond) -> None:
    """Show the member's cases as they are now, where they clicked (App Home or the list)."""
    user_id = user_of(body)
    publish_home(services, user_id)
    if (body.get("container") or {}).get("is_ephemeral"):
        tr = services.directory.translator(user_id)
        respond(replace_original=True, **my_cases_message(tr, my_cases(services, user_id, tr)))


def submit_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """The reminder DM's "Submit a case" (value: the meeting) or the App Home's button."""
    ack()
    services = services_of(context)
    value = str(action.get("value") or "")
    # The App Home's button has no meeting ("home"); the reminder DM's names one.
    meeting_id = None if value in ("", "home") else record_id(value)
    if not open_case_modal(
        services, client, body["trigger_id"], user_of(body), meeting_id=meeting_id
    ):
        tell(respond, services.directory.translator(user_of(body)).t("case.no_group"))


def view_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    found = own_case(services, action_id(action), user_of(body))
    if found is None:
        explain(services, user_of(body), Answer.NOT_A_MEMBER, respond, "case.answer")
        return
    tr = services.directory.translator(user_of(body))
    client.views_open(trigger_id=body["trigger_id"], view=case_view_modal(tr, found[0]))


def edit_clicked(
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
    found = own_case(services, action_id(action), user_id)
    if found is None or not found[2]:
        explain(
            services,
            user_id,
            Answer.CLOSED if found else Answer.NOT_A_MEMBER,
            respond,
            "case.answer",
        )
        return
    fields, target, _editable = found
    open_case_modal(
        services,
        client,
        body["trigger_id"],
        user_id,
        case_id=action_id(action),
        fields=fields,
        target=target,
    )


def withdraw_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    answer = withdraw(services, action_id(action), user_of(body))
    explain(services, user_of(body), answer, respond, "case.answer")
    _refresh_lists(services, body, respond)


def vote_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    _answer_case_click(vote, body, action, respond, context)


def confirm_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    _answer_case_click(choose_cases, body, action, respond, context)


def _answer_case_click(
    use_case: Callable[[Services, int, str], Answer],
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    context: BoltContext,
) -> None:
    """Call `use_case` with the clicked record and the clicker; tell them how it went."""
    services = services_of(context)
    user_id = user_of(body)
    explain(
        services, user_id, use_case(services, action_id(action), user_id), respond, "case.answer"
    )


def _answer_consent(
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
    yes: bool,
) -> None:
    services = services_of(context)
    answer, title, tr = answer_consent(services, action_id(action), user_of(body), yes)
    if answer is not Answer.DONE or tr is None:
        explain(services, user_of(body), answer, respond, "case.answer")
        return
    # The DM that was clicked, through the response URL Slack made for it: never a channel
    # and ts the request names.
    respond(replace_original=True, **consent_answered_message(tr, title, yes))


def consent_yes_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    _answer_consent(body, action, client, respond, context, yes=True)


def consent_no_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    _answer_consent(body, action, client, respond, context, yes=False)


def kind_changed(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """Offer the methods that fit the chosen kind of case; what was typed stays."""
    ack()
    services = services_of(context)
    view = body["view"]
    form = Submitted(view)
    tr = form.translator()
    kind = str((action.get("selected_option") or {}).get("value") or "")
    targets = targets_for(services, user_of(body), tr)
    if not targets:
        return
    updated = case_modal(
        tr,
        targets,
        chosen_target=form.choice("target"),
        fields=None,
        case_id=form.metadata_int("case"),
        kind=kind,
    )
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
