"""Buttons on candidate times: "I can make it", "Confirm this time", "Choose another time"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import explain, refusal, tell
from handlers.context import services_of
from handlers.payload import action_id, user_of
from rendering.meeting_modal import meeting_modal
from storage.models import Proposal
from storage.proposals import OPEN
from usecases.answers import Answer
from usecases.proposals import confirm, vote


def vote_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    explain(services, user_id, vote(services, action_id(action), user_id), respond, "poll.answer")


def confirm_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    explain(
        services, user_id, confirm(services, action_id(action), user_id), respond, "poll.answer"
    )


def other_time_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """Open the meeting modal prefilled with the proposed time, to plan it differently."""
    ack()
    services = services_of(context)
    user_id = user_of(body)
    with services.db() as session:
        proposal = session.get(Proposal, action_id(action))
        refused = refusal(services, user_id, proposal.group if proposal else None)
        if refused is not None or proposal is None:
            tell(respond, refused or "")
            return
        if proposal.status != OPEN:
            explain(services, user_id, Answer.CLOSED, respond, "poll.answer")
            return
        view = meeting_modal(
            services.directory.translator(user_id, proposal.group.language),
            group_id=proposal.group_id,
            meeting_id=None,
            start=proposal.options[0].starts_at,
            minutes=proposal.minutes,
            location=proposal.location,
            case_slots=proposal.case_slots,
            proposal_id=proposal.id,
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)
