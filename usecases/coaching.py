"""The coach's path to a self-running group: the coach's view of each group they coach, posting
its checklist in the channel, the steps back (step back, hand over, undo), calling a former coach
back for one meeting, the coach's notes and the tips the group keeps. Each reads as: load,
decide (methods/coaching.py), render, deliver."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from methods.coaching import (
    HAND_OVER,
    HANDED_OVER,
    UNDO,
    Thresholds,
    may_undo,
    readiness,
    stance_after,
)
from methods.library import methods
from rendering.coach_messages import (
    call_back_announcement,
    call_back_message,
    coach_note_message,
    step_announcement,
)
from rendering.coach_view import CoachLine, readiness_message
from rendering.times import slack_time
from storage.coaching import (
    add_note,
    coached_groups,
    drop_tip,
    get_note,
    group_facts,
    keep_tip,
    meeting_started_since,
    tips_of,
)
from storage.groups import get_group
from storage.meetings import get_meeting, upcoming_meetings
from storage.models import Group
from storage.runs import RUNNING, get_run, queue_message
from usecases.answers import Answer
from usecases.delivery import post_once_soon
from usecases.groups import is_person, publish_welcome
from usecases.live.outbox import deliver
from usecases.live.state import method_of, sync_timer
from usecases.live.steps import THREAD
from usecases.meetings import group_day, group_translator, group_zone
from usecases.services import Services

logger = logging.getLogger(__name__)


def thresholds_of(group: Group) -> Thresholds:
    return Thresholds(group.ready_meetings, group.ready_share, group.ready_methods)


def coach_line(session: Session, group: Group) -> CoachLine:
    """What the coach's view shows of `group`."""
    facts = group_facts(session, group)
    thresholds = thresholds_of(group)
    return CoachLine(
        group_id=group.id,
        name=group.name,
        channel_id=group.channel_id,
        stance=group.coach_stance,
        facts=facts,
        checks=readiness(facts, thresholds),
        recent=thresholds.meetings,
        undoable=_undoable(session, group),
    )


def _undoable(session: Session, group: Group) -> bool:
    """The coach's last step can still be undone: no meeting has started since."""
    step = group.coach_step_at
    started = step is not None and meeting_started_since(session, group.id, step)
    return group.coach_step_from is not None and may_undo(step, started)


def coach_lines(session: Session, team_id: str, user_id: str) -> list[CoachLine]:
    """The coach's view of every group `user_id` coaches in the workspace."""
    return [coach_line(session, group) for group in coached_groups(session, team_id, user_id)]


def _coached(session: Session, services: Services, group_id: int, user_id: str) -> Group | Answer:
    """The group, when `user_id` is its coach; otherwise why not."""
    group = get_group(session, group_id)
    if group is None or group.team_id != services.team_id:
        return Answer.NOT_A_MEMBER
    if group.facilitator_id is None:
        return Answer.NO_COACH
    if group.facilitator_id != user_id:
        return Answer.NOT_COACH
    return group


def post_readiness(services: Services, group_id: int, user_id: str, click: str) -> Answer:
    """The coach posts the group's checklist in its channel (once per click: `click` is Slack's
    moment of the click)."""
    with services.db() as session:
        group = _coached(session, services, group_id, user_id)
        if isinstance(group, Answer):
            return group
        message = readiness_message(
            group_translator(group), group.name, user_id, coach_line(session, group)
        )
        channel = group.channel_id
    post_once_soon(services, f"coach:{group_id}:readiness:{click}", channel, message)
    return Answer.DONE


def coach_step(services: Services, group_id: int, user_id: str, step: str, click: str) -> Answer:
    """Step back, hand over, or undo the last step (before the next meeting starts); each
    said once in the channel, in the group's language (`click`: Slack's moment of the click)."""
    now = services.clock()
    with services.db.begin() as session:
        group = get_group(session, group_id)
        if group is None or group.team_id != services.team_id:
            return Answer.NOT_A_MEMBER
        handed_over = group.coach_stance == HANDED_OVER
        coach = group.former_coach_id if handed_over else group.facilitator_id
        if step == UNDO:
            if coach != user_id:
                return Answer.NOT_COACH if coach else Answer.NO_COACH
            if not _undoable(session, group):
                return Answer.TOO_LATE
            if handed_over:
                group.facilitator_id, group.former_coach_id = group.former_coach_id, None
                group.runs_itself_since = None
            group.coach_stance, group.coach_step_from = group.coach_step_from, None
            group.coach_step_at = None
        else:
            if group.facilitator_id is None or handed_over:
                return Answer.NO_COACH
            if group.facilitator_id != user_id:
                return Answer.NOT_COACH
            after = stance_after(group.coach_stance, step)
            if after is None:
                return Answer.ALREADY
            group.coach_step_from, group.coach_step_at = group.coach_stance, now
            group.coach_stance = after
            if step == HAND_OVER:
                group.former_coach_id, group.facilitator_id = group.facilitator_id, None
                group.runs_itself_since = now
        message = step_announcement(
            group_translator(group), step, user_id, group.id, group.name, group_day(group, now)
        )
        channel = group.channel_id
    post_once_soon(services, f"coach:{group_id}:{step}:{click}", channel, message)
    try:  # the welcome and the panel say who coaches; the step stands if Slack refuses
        publish_welcome(services, group_id, user_id, edited=False)
    except (SlackApiError, OSError):
        logger.exception("could not show group %s's coach in its welcome", group_id)
    return Answer.DONE


def save_thresholds(
    services: Services, group_id: int, user_id: str, thresholds: Thresholds
) -> Answer:
    with services.db.begin() as session:
        group = _coached(session, services, group_id, user_id)
        if isinstance(group, Answer):
            return group
        group.ready_meetings = thresholds.meetings
        group.ready_share = thresholds.share
        group.ready_methods = thresholds.methods
    return Answer.DONE


def call_coach_back(services: Services, group_id: int, user_id: str) -> Answer:
    """A member invites the coach who handed the group over to observe its next meeting."""
    now = services.clock()
    with services.db() as session:
        group = get_group(session, group_id)
        if group is None or not group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        coach = group.former_coach_id
        if coach is None:
            return Answer.NO_COACH
        if group.guest_coach_id == coach and group.guest_accepted:
            return Answer.ALREADY
        upcoming = upcoming_meetings(session, group.id, now)
        if not upcoming:
            return Answer.NO_MEETING
        meeting_id, starts, zone = upcoming[0].id, upcoming[0].starts_at, group_zone(group)
        name, channel, group_tr = group.name, group.channel_id, group_translator(group)
    if not is_person(services, coach):
        return Answer.COACH_LEFT
    with services.db.begin() as session:
        group = get_group(session, group_id)
        if group is None:
            return Answer.NOT_A_MEMBER
        group.guest_coach_id, group.guest_meeting_id = coach, meeting_id
        group.guest_accepted = False
    own = services.directory.translator(coach, group_tr.language)
    dm = call_back_message(
        own, user_id, name, slack_time(starts, zone, own), f"{group_id}:{meeting_id}"
    )
    key = f"coach:{group_id}:call:{meeting_id}"
    post_once_soon(services, key, coach, dm)
    when = slack_time(starts, zone, group_tr)
    said = call_back_announcement(group_tr, "called", coach, user_id, when)
    post_once_soon(services, f"{key}:said", channel, said)
    return Answer.DONE


def answer_call(
    services: Services, group_id: int, meeting_id: int, user_id: str, accept: bool, click: str
) -> Answer:
    """The former coach accepts (observes that one meeting) or declines; declining after
    accepting, before the meeting starts, undoes the acceptance."""
    now = services.clock()
    with services.db.begin() as session:
        group = get_group(session, group_id)
        meeting = get_meeting(session, meeting_id)
        if (
            group is None
            or meeting is None
            or group.team_id != services.team_id
            or group.guest_coach_id != user_id
            or group.guest_meeting_id != meeting_id
        ):
            return Answer.CLOSED
        if meeting.started_at is not None or meeting.starts_at <= now:
            return Answer.IN_THE_PAST
        if group.guest_accepted == accept:
            return Answer.ALREADY
        if accept:
            group.guest_accepted = True
        else:
            group.release_guest()
        tr = group_translator(group)
        when = slack_time(meeting.starts_at, group_zone(group), tr)
        said = call_back_announcement(
            tr, "accepted" if accept else "declined", user_id, user_id, when
        )
        channel = group.channel_id
    answered = "yes" if accept else "no"
    post_once_soon(
        services, f"coach:{group_id}:call:{meeting_id}:{answered}:{click}", channel, said
    )
    return Answer.DONE


def add_coach_note(services: Services, run_id: int, user_id: str, text: str) -> Answer:
    """The coach's note to the running case's current phase, posted in its thread (through the
    case's outbox: once, in order)."""
    now = services.clock()
    with services.db.begin() as session:
        run = get_run(session, run_id, for_update=True)
        if run is None or run.meeting.group.team_id != services.team_id:
            return Answer.NOT_A_MEMBER
        group = run.meeting.group
        if user_id not in group.coach_ids:
            return Answer.NOT_COACH
        if run.status != RUNNING:
            return Answer.CLOSED
        phase = method_of(session, run).phases[run.phase]
        note_id = add_note(session, run.id, phase.id, text, now)
        tr = group_translator(group)
        message = coach_note_message(tr, user_id, phase.title(tr.language), text, note_id)
        key = f"run:{run.id}:note:{note_id}"
        queue_message(session, run.id, key, THREAD, json.dumps(message), now)
    if deliver(services, run_id):
        sync_timer(services, run_id)
    return Answer.DONE


def keep_note_as_tip(services: Services, note_id: int, user_id: str) -> Answer:
    """A member or the coach keeps a coach's note as the group's tip for that phase of that
    method (replacing the tip it had)."""
    now = services.clock()
    with services.db.begin() as session:
        note = get_note(session, note_id)
        run = get_run(session, note.run_id) if note is not None else None
        if note is None or run is None:
            return Answer.CLOSED
        group = run.meeting.group
        if not group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        keep_tip(session, group.id, run.method_id, note.phase_id, note.text, now)
    return Answer.DONE


def group_tips(services: Services, group_id: int) -> list[tuple[str, str, str]]:
    """The group's tips as (method id, phase id, text), of methods and phases the library has."""
    known = methods()
    with services.db() as session:
        return [
            (tip.method_id, tip.phase_id, tip.text)
            for tip in tips_of(session, group_id)
            if tip.method_id in known
            and any(p.id == tip.phase_id for p in known[tip.method_id].phases)
        ]


def save_tips(
    services: Services, group_id: int, user_id: str, edited: Mapping[tuple[str, str], str]
) -> Answer:
    """Members change the group's tips; an emptied tip is dropped."""
    now = services.clock()
    with services.db.begin() as session:
        group = get_group(session, group_id)
        if group is None or not group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        for (method_id, phase_id), text in edited.items():
            if text:
                keep_tip(session, group_id, method_id, phase_id, text, now)
            else:
                drop_tip(session, group_id, method_id, phase_id)
    return Answer.DONE
