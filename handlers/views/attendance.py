"""Saving the attendance modals: the chair's correction, and a member's own yearly target."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.attendance import (
    CORRECTED_MINUTES_RANGE,
    TARGET_MEETINGS_RANGE,
    TARGET_MINUTES_RANGE,
)
from rendering import attendance_messages as m
from rendering.markup import mentions
from storage.meetings import get_meeting
from usecases.answers import Answer
from usecases.records import correct, outsiders, save_target


def _number(form: Submitted, block: str, allowed: range, errors: dict[str, str]) -> int:
    value = form.number(block)
    if value is None or value not in allowed:
        low, high = allowed.start, allowed.stop - 1
        errors[block] = form.translator().t("form.number_between", low=low, high=high)
        return allowed.start
    return value


def save_attendance(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    meeting_id = form.metadata_int("meeting") or 0
    errors: dict[str, str] = {}
    present = list(dict.fromkeys(form.users(m.WHO)))
    minutes = _number(form, m.MINUTES, CORRECTED_MINUTES_RANGE, errors)
    if not present:
        errors[m.WHO] = tr.t("attendance.error_none")
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        strangers = outsiders(meeting.group, present) if meeting is not None else []
    if strangers:
        people = mentions(strangers)
        errors[m.WHO] = tr.t("attendance.error_outsider", people=people)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    answer = correct(services, meeting_id, user_of(body), present, minutes)
    if answer is not Answer.DONE:
        ack(
            response_action="errors",
            errors={m.WHO: tr.t(f"attendance.correct_answer.{answer.value}")},
        )
        return
    ack()


def save_target_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    errors: dict[str, str] = {}
    meetings = _number(form, m.MEETINGS, TARGET_MEETINGS_RANGE, errors)
    minutes = _number(form, m.MINUTES, TARGET_MINUTES_RANGE, errors)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    save_target(services, user_of(body), meetings, minutes)
    ack()
