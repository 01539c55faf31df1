"""Buttons on meetings: Reschedule, Cancel (from `/intervisie meetings`) and Start meeting."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import refusal, tell
from handlers.context import services_of
from handlers.payload import action_id, action_value, record_id, user_of
from rendering.meeting_modal import meeting_modal
from rendering.meetings_list import meetings_list
from storage.meetings import SCHEDULED, get_meeting, upcoming_meetings
from storage.models import Meeting
from usecases.cases import roll_over
from usecases.live.opening import open_meeting
from usecases.meetings import announce, cancel_meeting, meeting_facts
from usecases.panel import refresh_panel_of_meeting
from usecases.services import Services


def _meeting_for(services: Services, user_id: str, value: str, respond: Respond) -> Meeting | None:
    """The meeting behind a button, if `user_id` may act on it; otherwise explain why not."""
    with services.db() as session:
        meeting = get_meeting(session, record_id(value))
        refused = refusal(services, user_id, meeting.group if meeting else None)
        if refused is not None or meeting is None:
            tell(respond, refused or "")
            return None
        if meeting.status != SCHEDULED:
            tr = services.directory.translator(user_id, meeting.group.language)
            tell(respond, tr.t("meeting.error.gone"))
            return None
        return meeting


def reschedule_meeting(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    meeting = _meeting_for(services, user_of(body), action_value(action), respond)
    if meeting is None:
        return
    view = meeting_modal(
        services.directory.translator(user_of(body), meeting.group.language),
        group_id=meeting.group_id,
        meeting_id=meeting.id,
        start=meeting.starts_at,
        minutes=meeting.minutes,
        location=meeting.location,
        case_slots=meeting.case_slots,
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def cancel_meeting_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    if _meeting_for(services, user_id, action_value(action), respond) is None:
        return
    now = services.clock()
    with services.db.begin() as session:
        meeting = get_meeting(session, action_id(action))
        assert meeting is not None
        cancel_meeting(session, meeting, now)
        group = meeting.group
        tr = services.directory.translator(user_id, group.language)
        upcoming = [meeting_facts(m) for m in upcoming_meetings(session, group.id, now)]
        meeting_id = meeting.id
    services.scheduler.sync()
    announce(services, meeting_id, "cancelled", user_id)
    refresh_panel_of_meeting(services, meeting_id)
    roll_over(services, meeting_id, cancelled=True)
    respond(replace_original=True, **meetings_list(tr, group.name, upcoming))


def start_meeting(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """The start message's "Start meeting": that message becomes the opening (who opened it,
    the check-in, today's cases, attendance), then the first case follows."""
    ack()
    services = services_of(context)
    user_id = user_of(body)
    meeting = _meeting_for(services, user_id, action_value(action), respond)
    if meeting is None:
        return
    open_meeting(services, meeting.id, user_id)
