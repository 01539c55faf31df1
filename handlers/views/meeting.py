"""Saving the meeting modal (plan or reschedule) and the candidate-times modal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.scheduling import MAX_MEETING_MINUTES, MIN_MEETING_MINUTES, default_case_slots
from rendering import meeting_modal as m
from rendering.i18n import Translator
from storage.groups import get_group
from storage.meetings import SCHEDULED, get_meeting
from storage.models import Proposal
from storage.proposals import CONFIRMED, OPEN, POLL, add_proposal
from usecases.home import publish_home
from usecases.meetings import MeetingPlan, announce, move_meeting, plan_meeting
from usecases.panel import refresh_panel_of_meeting
from usecases.proposals import post_proposal, refresh_proposal
from usecases.services import Services


def _length_and_place(form: Submitted, tr: Translator, errors: dict[str, str]) -> tuple[int, str]:
    minutes = form.number(m.LENGTH)
    if minutes is None or not MIN_MEETING_MINUTES <= minutes <= MAX_MEETING_MINUTES:
        errors[m.LENGTH] = tr.t(
            "meeting.error.length", low=MIN_MEETING_MINUTES, high=MAX_MEETING_MINUTES
        )
        minutes = MIN_MEETING_MINUTES
    location = form.text(m.WHERE)
    if len(location) > 500:
        errors[m.WHERE] = tr.t("form.too_long", maximum=500)
    return minutes, location


def parse_meeting(
    form: Submitted, tr: Translator, now: datetime
) -> tuple[MeetingPlan, dict[str, str]]:
    errors: dict[str, str] = {}
    start = form.moment(m.START)
    if start is None:
        errors[m.START] = tr.t("meeting.error.start_missing")
    elif start <= now:
        errors[m.START] = tr.t("meeting.error.past")
    minutes, location = _length_and_place(form, tr, errors)
    slots = form.number(m.SLOTS)
    if form.text(m.SLOTS) and (slots is None or not 1 <= slots <= m.MAX_SLOTS):
        errors[m.SLOTS] = tr.t("form.number_between", low=1, high=m.MAX_SLOTS)
    plan = MeetingPlan(start or now, minutes, location, slots or default_case_slots(minutes))
    return plan, errors


def parse_options(
    form: Submitted, tr: Translator, now: datetime
) -> tuple[list[datetime], dict[str, str]]:
    errors: dict[str, str] = {}
    starts: list[datetime] = []
    for number in range(1, m.MAX_OPTIONS + 1):
        block = m.option_block(number)
        start = form.moment(block)
        if start is None:
            continue
        if start <= now:
            errors[block] = tr.t("meeting.error.past")
        elif start in starts:
            errors[block] = tr.t("proposal.error.duplicate")
        else:
            starts.append(start)
    if len(starts) < 2 and not errors:
        errors[m.option_block(2)] = tr.t("proposal.error.too_few")
    return starts, errors


def _member_group_id(services: Services, form: Submitted, user_id: str) -> int | None:
    group_id = form.metadata_int("group")
    with services.db() as session:
        group = get_group(session, group_id) if group_id else None
        return group.id if group is not None and group.may_act(services.team_id, user_id) else None


def save_meeting_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    user_id = user_of(body)
    form = Submitted(view)
    tr = form.translator()
    now = services.clock()
    plan, errors = parse_meeting(form, tr, now)
    group_id = _member_group_id(services, form, user_id)
    if group_id is None:
        errors[m.START] = tr.t("access.not_a_member_short")
    if errors or group_id is None:
        ack(response_action="errors", errors=errors)
        return
    meeting_id = form.metadata_int("meeting")
    proposal_id = form.metadata_int("proposal")
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id) if meeting_id else None
        if meeting_id and (
            meeting is None or meeting.group_id != group_id or meeting.status != SCHEDULED
        ):
            ack(response_action="errors", errors={m.START: tr.t("meeting.error.gone")})
            return
        if meeting is not None:
            move_meeting(session, meeting, plan, now)
        else:
            group = get_group(session, group_id)
            assert group is not None
            meeting = plan_meeting(session, group, plan, user_id, now)
        saved_id = meeting.id
        proposal = session.get(Proposal, proposal_id) if proposal_id else None
        if proposal is not None and proposal.group_id == group_id and proposal.status == OPEN:
            proposal.status = CONFIRMED
            proposal.meeting_id = saved_id
            proposal.confirmed_by = user_id
    ack()
    services.scheduler.sync()
    announce(services, saved_id, "moved" if meeting_id else "new", user_id)
    refresh_panel_of_meeting(services, saved_id)
    publish_home(services, user_id)
    if proposal_id:
        refresh_proposal(services, proposal_id)


def save_proposal_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    user_id = user_of(body)
    form = Submitted(view)
    tr = form.translator()
    now = services.clock()
    starts, errors = parse_options(form, tr, now)
    minutes, location = _length_and_place(form, tr, errors)
    group_id = _member_group_id(services, form, user_id)
    if group_id is None:
        errors[m.option_block(1)] = tr.t("access.not_a_member_short")
    if errors or group_id is None:
        ack(response_action="errors", errors=errors)
        return
    with services.db.begin() as session:
        group = get_group(session, group_id)
        assert group is not None
        proposal_id = add_proposal(
            session,
            group,
            kind=POLL,
            created_by=user_id,
            starts=starts,
            minutes=minutes,
            location=location,
            case_slots=default_case_slots(minutes),
            now=now,
        ).id
    ack()
    post_proposal(services, proposal_id)
