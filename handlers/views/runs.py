"""Saving the live session's modals: a contribution, the roles, a group's phase durations."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.library import methods
from rendering import run_modals as m
from storage.groups import get_group
from storage.runs import set_phase_minutes
from usecases.answers import Answer
from usecases.live.moving_on import set_roles
from usecases.live.replies import contribute


def save_contribution(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    text = form.text(m.TEXT)
    if not text:
        ack(response_action="errors", errors={m.TEXT: tr.t("run.add_empty")})
        return
    if len(text) > 1000:
        ack(response_action="errors", errors={m.TEXT: tr.t("form.too_long", maximum=1000)})
        return
    run_id = form.metadata_int("run")
    phase = form.metadata.get("phase")
    answer = contribute(
        services,
        run_id or 0,
        user_of(body),
        text,
        form.submission(user_of(body)),
        phase if isinstance(phase, int) and not isinstance(phase, bool) else None,
    )
    if answer is not Answer.DONE:
        ack(response_action="errors", errors={m.TEXT: tr.t(f"run.answer.{answer.value}")})
        return
    ack()


def save_roles(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    chair, timekeeper = form.user(m.CHAIR), form.user(m.TIMEKEEPER)
    errors = {}
    if not chair:
        errors[m.CHAIR] = tr.t("run.roles_missing")
    if not timekeeper:
        errors[m.TIMEKEEPER] = tr.t("run.roles_missing")
    if errors or not chair or not timekeeper:
        ack(response_action="errors", errors=errors)
        return
    answer = set_roles(services, form.metadata_int("run") or 0, user_of(body), chair, timekeeper)
    if answer is not Answer.DONE:
        ack(response_action="errors", errors={m.CHAIR: tr.t(f"run.answer.{answer.value}")})
        return
    ack()


def save_durations(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    method = methods().get(str(form.metadata.get("method") or ""))
    group_id = form.metadata_int("group")
    if method is None or group_id is None:
        ack()
        return
    minutes: dict[str, int] = {}
    errors: dict[str, str] = {}
    for phase in method.phases:
        value = form.number(phase.id)
        if value is None or not 1 <= value <= 120:
            errors[phase.id] = tr.t("form.number_between", low=1, high=120)
        else:
            minutes[phase.id] = value
    with services.db.begin() as session:
        group = get_group(session, group_id)
        if group is None or not group.may_act(services.team_id, user_of(body)):
            errors[method.phases[0].id] = tr.t("access.not_a_member_short")
        if errors:
            ack(response_action="errors", errors=errors)
            return
        set_phase_minutes(session, group_id, method.id, minutes)
    ack()
