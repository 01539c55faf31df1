"""Buttons after the meeting: write takeaways, say how a goal went, update a goal, give
feedback; and the App Home's "Plan a meeting" and "Help"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.access import group_by_id, refusal, tell
from handlers.commands.intervisie import SUBCOMMANDS
from handlers.context import services_of
from handlers.payload import action_id, action_value, record_id, user_of
from rendering.followup_messages import (
    FOLLOW_UP_ACTIONS,
    evaluation_modal,
    follow_up_recorded,
    goal_modal,
    takeaway_modal,
)
from rendering.help_message import help_modal
from rendering.i18n import Translator
from rendering.meeting_modal import meeting_modal
from storage.meetings import get_meeting
from storage.models import Takeaway
from usecases.followup import update_goal
from usecases.home import publish_home
from usecases.meetings import group_zone
from usecases.review import post_review
from usecases.services import Services

logger = logging.getLogger(__name__)


def _where(body: dict[str, Any]) -> dict[str, str]:
    """The DM the button was in, so it can say "saved" once the modal is saved."""
    channel = (body.get("channel") or {}).get("id")
    ts = (body.get("message") or {}).get("ts")
    return {"channel": channel, "ts": ts} if channel and ts else {}


def _owners_takeaway(
    services: Services, body: dict[str, Any], action: dict[str, Any], respond: Respond
) -> tuple[Takeaway, Translator] | None:
    """The takeaway the button is about, when the clicker owns it, with the owner's own
    language (else that of the group the case was brought to)."""
    user_id = user_of(body)
    with services.db() as session:
        takeaway = session.get(Takeaway, record_id(action_value(action)))
    if takeaway is None or takeaway.owner_id != user_id:
        tell(respond, services.directory.translator(user_id).t("case.answer.not_a_member"))
        return None
    group = group_by_id(services, takeaway.group_id)
    return takeaway, services.directory.translator(user_id, group.language if group else None)


def write_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    found = _owners_takeaway(services, body, action, respond)
    if found is None:
        return
    takeaway, tr = found
    client.views_open(
        trigger_id=body["trigger_id"], view=takeaway_modal(tr, takeaway.id, _where(body))
    )


def follow_up_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """ "Achieved / partly / not yet / no longer relevant": one click notes it; the DM then
    offers a line of reflection."""
    ack()
    services = services_of(context)
    status = FOLLOW_UP_ACTIONS.get(str(action.get("action_id")))
    found = _owners_takeaway(services, body, action, respond)
    if found is None or status is None:
        return
    takeaway, tr = found
    goal = update_goal(services, takeaway.id, user_of(body), status, None, keep_reflection=True)
    if goal is None:
        tell(respond, tr.t("case.answer.closed"))
        return
    where = _where(body)
    if where:
        client.chat_update(**where, **follow_up_recorded(tr, goal))
    publish_home(services, user_of(body))


def update_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    found = _owners_takeaway(services, body, action, respond)
    if found is None:
        return
    takeaway, tr = found
    view = goal_modal(tr, takeaway.id, takeaway.status, _where(body), takeaway.reflection)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def evaluate_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    with services.db() as session:
        meeting = get_meeting(session, action_id(action))
        refused = refusal(services, user_of(body), meeting.group if meeting else None)
        language = meeting.group.language if meeting else None
    if refused is not None or meeting is None:
        tell(respond, refused or "")
        return
    tr = services.directory.translator(user_of(body), language)
    client.views_open(
        trigger_id=body["trigger_id"], view=evaluation_modal(tr, meeting.id, _where(body))
    )


def schedule_from_home(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    value = str(action.get("value") or "")
    group = group_by_id(services, record_id(value))
    refused = refusal(services, user_of(body), group)
    if refused is not None or group is None:
        tell(respond, refused or "")
        return
    view = meeting_modal(
        services.directory.translator(user_of(body), group.language),
        group_id=group.id,
        meeting_id=None,
        start=None,
        minutes=group.meeting_minutes,
        location="",
        case_slots=None,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def help_from_home(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    tr = services_of(context).directory.translator(user_of(body))
    client.views_open(trigger_id=body["trigger_id"], view=help_modal(tr, list(SUBCOMMANDS)))


def review_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """*Year review* on the App Home: this year's review, posted in the group's channel."""
    ack()
    services = services_of(context)
    group = group_by_id(services, action_id(action))
    refused = refusal(services, user_of(body), group)
    if refused is not None or group is None:
        tell(respond, refused or "")
        return
    year = services.clock().astimezone(group_zone(group)).year
    try:
        post_review(services, group.id, year)
    except (SlackApiError, OSError):
        logger.exception("could not post the review of group %s", group.id)
