"""Attendance buttons: "I'm here" in the opening round, the chair's "Correct attendance", and a
member's "Change my target"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import explain
from handlers.context import services_of
from handlers.payload import action_id, user_of
from rendering.attendance_files import reader_date
from rendering.attendance_messages import attendance_modal, target_modal
from storage.attendance import attendees, get_record
from storage.meetings import get_meeting
from usecases.meetings import group_zone
from usecases.records import correction_refusal, mark_self_present, target_of


def present_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    answer = mark_self_present(services, action_id(action), user_of(body))
    explain(services, user_of(body), answer, respond, "attendance.present_answer")


def correct_clicked(
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
    with services.db() as session:
        meeting = get_meeting(session, action_id(action))
        refused = correction_refusal(session, meeting, services.team_id, user_id)
        record = get_record(session, meeting.id) if meeting is not None else None
        if refused is not None or meeting is None or record is None:
            if refused is not None:
                explain(services, user_id, refused, respond, "attendance.correct_answer")
            return
        tr = services.directory.translator(user_id, meeting.group.language)
        view = attendance_modal(
            tr,
            meeting.id,
            meeting.group.name,
            reader_date(tr, record.started_at, group_zone(meeting.group)),
            attendees(session, meeting.id),
            record.minutes,
        )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def target_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Anyone may set their own target; it is about nobody else."""
    ack()
    services = services_of(context)
    user_id = user_of(body)
    with services.db() as session:
        target = target_of(session, services.team_id, user_id)
    view = target_modal(services.directory.translator(user_id), target)
    client.views_open(trigger_id=body["trigger_id"], view=view)
