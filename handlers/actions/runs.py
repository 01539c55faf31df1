"""Buttons of the live session: next phase, +5 minutes, pause/resume, end the case, roles, add
a contribution; and the method previews."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import channel_group, explain, group_by_id, refusal, tell
from handlers.context import services_of
from handlers.payload import action_id, action_value, record_id, run_and_phase, user_of
from methods.library import methods
from rendering.method_views import durations_modal, method_preview
from rendering.run_messages import END, EXTEND, NEXT, PAUSE, RESUME
from rendering.run_modals import contribution_modal, roles_modal
from storage.runs import RUNNING, get_run, phase_minutes
from usecases.answers import Answer
from usecases.live.moving_on import control
from usecases.live.state import method_of, observes

CONTROLS = {NEXT: "next", EXTEND: "extend", PAUSE: "pause", RESUME: "resume", END: "end"}


def control_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    what = CONTROLS[str(action["action_id"])]
    answer = control(services, action_id(action), user_of(body), what)
    explain(services, user_of(body), answer, respond, "run.answer")


def add_clicked(
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
        run_id, phase_index = run_and_phase(action)
        run = get_run(session, run_id)
        if run is None or not run.meeting.group.may_act(services.team_id, user_of(body)):
            explain(services, user_of(body), Answer.NOT_A_MEMBER, respond, "run.answer")
            return
        phase = method_of(session, run).phases[run.phase]
        if run.status != RUNNING:
            explain(services, user_of(body), Answer.CLOSED, respond, "run.answer")
            return
        if not phase.collect or phase_index not in (None, run.phase):
            explain(services, user_of(body), Answer.ROUND_CLOSED, respond, "run.answer")
            return
        tr = services.directory.translator(user_of(body), run.meeting.group.language)
        view = contribution_modal(tr, run.id, run.phase, phase.collect)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def roles_clicked(
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
        run = get_run(session, action_id(action))
        if run is None or not run.meeting.group.may_act(services.team_id, user_of(body)):
            explain(services, user_of(body), Answer.NOT_A_MEMBER, respond, "run.answer")
            return
        if observes(run, user_of(body)):
            explain(services, user_of(body), Answer.OBSERVING, respond, "run.answer")
            return
        tr = services.directory.translator(user_of(body), run.meeting.group.language)
        view = roles_modal(tr, run.id, run.chair_id, run.timekeeper_id)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def preview_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """A method's phases, timings and purpose, with this group's own durations."""
    ack()
    services = services_of(context)
    method = methods().get(action_value(action))
    if method is None:
        return
    group = channel_group(services, str((body.get("channel") or {}).get("id") or ""))
    member = group is not None and group.may_act(services.team_id, user_of(body))
    tr = services.directory.translator(user_of(body), group.language if group else None)
    if member and group:
        with services.db() as session:
            method = method.with_minutes(phase_minutes(session, group.id, method.id))
    respond(
        replace_original=False,
        response_type="ephemeral",
        **method_preview(tr, method, group.id if member and group else None),
    )


def durations_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    group_part, _, method_id = action_value(action).partition(":")
    group = group_by_id(services, record_id(group_part))
    refused = refusal(services, user_of(body), group)
    method = methods().get(method_id)
    if refused is not None or group is None or method is None:
        tell(respond, refused or "")
        return
    with services.db() as session:
        method = method.with_minutes(phase_minutes(session, group.id, method.id))
    tr = services.directory.translator(user_of(body), group.language)
    view = durations_modal(tr, method, group.id)
    client.views_open(trigger_id=body["trigger_id"], view=view)
