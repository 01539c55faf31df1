"""The coach's buttons: in the App Home (post the checklist, step back, hand over, undo, the
thresholds), in a case's controls (a coach's note), on a note (keep it as our tip), and in the
DM that calls a former coach back (accept, decline)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import answer, group_by_id
from handlers.context import services_of
from handlers.payload import (
    BadPayload,
    action_id,
    action_value,
    clicked_at,
    record_id,
    user_of,
)
from methods.coaching import HAND_OVER, STEP_BACK, UNDO
from rendering.coach_messages import COACH_ACCEPT
from rendering.coach_modals import note_modal, thresholds_modal
from rendering.coach_view import COACH_HAND_OVER, COACH_POST, COACH_STEP_BACK, COACH_UNDO
from storage.runs import RUNNING, get_run
from usecases.answers import Answer
from usecases.coaching import (
    answer_call,
    coach_step,
    keep_note_as_tip,
    post_readiness,
    thresholds_of,
)
from usecases.home import publish_home
from usecases.live.state import method_of

STEPS = {COACH_STEP_BACK: STEP_BACK, COACH_HAND_OVER: HAND_OVER, COACH_UNDO: UNDO}


def _explain(context: BoltContext, user_id: str, said: Answer, respond: Respond | None) -> None:
    services = services_of(context)
    tr = services.directory.translator(user_id)
    answer(services, user_id, respond, tr.t(f"coach.answer.{said.value}"))


def coach_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """A step back, or posting the checklist, from the coach's view in the App Home."""
    ack()
    services = services_of(context)
    user_id, group_id = user_of(body), action_id(action)
    what, click = str(action.get("action_id")), clicked_at(action)
    if what == COACH_POST:
        said = post_readiness(services, group_id, user_id, click)
    else:
        said = coach_step(services, group_id, user_id, STEPS[what], click)
    if said is not Answer.DONE:
        _explain(context, user_id, said, respond)
    publish_home(services, user_id)


def thresholds_clicked(
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
    if group is None or group.team_id != services.team_id or group.facilitator_id != user_id:
        _explain(context, user_id, Answer.NOT_COACH, respond)
        return
    tr = services.directory.translator(user_id, group.language)
    client.views_open(
        trigger_id=body["trigger_id"], view=thresholds_modal(tr, group.id, thresholds_of(group))
    )


def note_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    """*Coach's note* on a running case: the coach writes a note to the current phase."""
    ack()
    services = services_of(context)
    user_id = user_of(body)
    with services.db() as session:
        run = get_run(session, action_id(action))
        group = run.meeting.group if run is not None else None
        if run is None or group is None or group.team_id != services.team_id:
            _explain(context, user_id, Answer.NOT_A_MEMBER, respond)
            return
        if user_id not in group.coach_ids:
            _explain(context, user_id, Answer.NOT_COACH, respond)
            return
        if run.status != RUNNING:
            _explain(context, user_id, Answer.CLOSED, respond)
            return
        tr = services.directory.translator(user_id, group.language)
        phase = method_of(session, run).phases[run.phase].title(tr.language)
        view = note_modal(tr, run.id, phase)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def keep_tip_clicked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    said = keep_note_as_tip(services, action_id(action), user_id)
    tr = services.directory.translator(user_id)
    text = tr.t("coach.tip_kept") if said is Answer.DONE else tr.t(f"coach.answer.{said.value}")
    answer(services, user_id, respond, text)


def call_answered(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """The former coach accepts or declines to observe one meeting."""
    ack()
    services = services_of(context)
    user_id = user_of(body)
    group_part, _, meeting_part = action_value(action).partition(":")
    if not meeting_part:
        raise BadPayload("not a group and meeting")
    accept = action.get("action_id") == COACH_ACCEPT
    said = answer_call(
        services,
        record_id(group_part),
        record_id(meeting_part),
        user_id,
        accept,
        clicked_at(action),
    )
    tr = services.directory.translator(user_id)
    if said is Answer.DONE:
        text = tr.t("coach.accepted" if accept else "coach.declined")
    else:
        text = tr.t(f"coach.answer.{said.value}")
    answer(services, user_id, respond, text)
