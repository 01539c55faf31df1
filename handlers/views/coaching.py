"""Saving the coach's path's modals: the readiness thresholds, a coach's note, the group's tips."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.coaching import READY_MEETINGS, READY_METHODS, READY_SHARE, Thresholds
from rendering import coach_modals as m
from usecases.answers import Answer
from usecases.coaching import add_coach_note, group_tips, save_thresholds, save_tips
from usecases.home import publish_home


def save_thresholds_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    values: dict[str, int] = {}
    errors: dict[str, str] = {}
    for block, (low, high) in (
        (m.MEETINGS, READY_MEETINGS),
        (m.SHARE, READY_SHARE),
        (m.METHODS, READY_METHODS),
    ):
        number = form.number(block)
        if number is None or not low <= number <= high:
            errors[block] = tr.t("form.number_between", low=low, high=high)
        else:
            values[block] = number
    if errors:
        ack(response_action="errors", errors=errors)
        return
    thresholds = Thresholds(values[m.MEETINGS], values[m.SHARE], values[m.METHODS])
    said = save_thresholds(services, form.metadata_int("group") or 0, user_of(body), thresholds)
    if said is not Answer.DONE:
        ack(response_action="errors", errors={m.MEETINGS: tr.t(f"coach.answer.{said.value}")})
        return
    ack()
    publish_home(services, user_of(body))


def save_note_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    text = form.text(m.NOTE)
    if not text:
        ack(response_action="errors", errors={m.NOTE: tr.t("coach.note_empty")})
        return
    if len(text) > m.NOTE_MAX:
        ack(response_action="errors", errors={m.NOTE: tr.t("form.too_long", maximum=m.NOTE_MAX)})
        return
    said = add_coach_note(services, form.metadata_int("run") or 0, user_of(body), text)
    if said is not Answer.DONE:
        ack(response_action="errors", errors={m.NOTE: tr.t(f"coach.answer.{said.value}")})
        return
    ack()


def save_tips_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    """Members edit the group's tips; an emptied one is dropped."""
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    group_id = form.metadata_int("group") or 0
    edited: dict[tuple[str, str], str] = {}
    errors: dict[str, str] = {}
    for method_id, phase_id, _ in group_tips(services, group_id)[: m.MAX_TIPS]:
        block = m.tip_field(method_id, phase_id)
        text = form.text(block)
        if len(text) > m.NOTE_MAX:
            errors[block] = tr.t("form.too_long", maximum=m.NOTE_MAX)
        edited[(method_id, phase_id)] = text
    if errors:
        ack(response_action="errors", errors=errors)
        return
    said = save_tips(services, group_id, user_of(body), edited)
    if said is not Answer.DONE and edited:
        first = m.tip_field(*next(iter(edited)))
        ack(response_action="errors", errors={first: tr.t(f"coach.answer.{said.value}")})
        return
    ack()
