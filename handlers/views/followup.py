"""Saving the takeaways, a goal's follow-up, and a meeting evaluation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from rendering import followup_messages as m
from rendering.blocks import section
from usecases.answers import Answer
from usecases.followup import Scores, TakeawayAnswer, evaluate, save_takeaway, update_goal
from usecases.home import publish_home
from usecases.services import Services


def _close_the_dm(services: Services, form: Submitted, message: dict[str, Any]) -> None:
    """Replace the buttons in the DM the modal was opened from."""
    channel, ts = form.metadata.get("channel"), form.metadata.get("ts")
    if channel and ts:
        services.client.chat_update(channel=channel, ts=ts, **message)


def save_takeaway_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    errors = {}
    for block in (m.LEARNED, m.ATTENTION, m.GOAL):
        if not form.text(block):
            errors[block] = tr.t(f"followup.error_{block}")
    target = form.day(m.TARGET)
    if target is not None and target < services.clock().date():
        errors[m.TARGET] = tr.t("followup.error_target")
    if errors:
        ack(response_action="errors", errors=errors)
        return
    answer = TakeawayAnswer(
        learned=form.text(m.LEARNED),
        attention=form.text(m.ATTENTION),
        goal=form.text(m.GOAL),
        target_date=target,
        shared="share" in form.checked(m.SHARE),
    )
    title = save_takeaway(services, form.metadata_int("takeaway") or 0, user_of(body), answer)
    if title is None:
        ack(response_action="errors", errors={m.LEARNED: tr.t("case.answer.not_a_member")})
        return
    ack()
    _close_the_dm(services, form, m.takeaway_saved(tr, title))
    publish_home(services, user_of(body))


def save_goal_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    status = form.choice(m.STATUS)
    if status not in m.GOAL_STATUSES:
        ack(response_action="errors", errors={m.STATUS: tr.t("followup.error_status")})
        return
    goal = update_goal(
        services,
        form.metadata_int("takeaway") or 0,
        user_of(body),
        status,
        form.text(m.REFLECTION) or None,
    )
    if goal is None:
        ack(response_action="errors", errors={m.STATUS: tr.t("case.answer.closed")})
        return
    ack()
    _close_the_dm(services, form, m.follow_up_recorded(tr, goal))
    publish_home(services, user_of(body))


def _score(form: Submitted, block: str) -> int | None:
    value = form.choice(block)
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def save_evaluation_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    safety, usefulness = _score(form, m.SAFETY), _score(form, m.USEFULNESS)
    errors = {
        b: tr.t("evaluation.error_scale")
        for b, v in ((m.SAFETY, safety), (m.USEFULNESS, usefulness))
        if v is None
    }
    if errors or safety is None or usefulness is None:
        ack(response_action="errors", errors=errors)
        return
    remark = form.text(m.REMARK) or None
    shared = remark is not None and "share" in form.checked(m.REMARK_SHARED)
    answer = evaluate(
        services,
        form.metadata_int("meeting") or 0,
        user_of(body),
        Scores(safety, usefulness, remark, shared),
    )
    if answer is not Answer.DONE:
        ack(response_action="errors", errors={m.SAFETY: tr.t(f"case.answer.{answer.value}")})
        return
    ack()
    text = tr.t("evaluation.thanks")
    _close_the_dm(services, form, {"text": text, "blocks": [section(text)]})
