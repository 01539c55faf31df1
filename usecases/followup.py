"""After the meeting: what the case owner takes away and their goal, one gentle reminder, the
follow-up before the next meeting, and the members' anonymous evaluation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from slack_sdk.web import SlackResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from methods.review import MIN_EVALUATIONS
from rendering.followup_messages import (
    GoalFacts,
    evaluation_request,
    evaluation_results,
    follow_up_request,
    takeaway_request,
)
from storage.groups import get_group
from storage.meetings import get_meeting
from storage.models import CaseRun, Evaluation, Takeaway
from usecases.answers import Answer
from usecases.delivery import Notice, Outcome, send_dms, send_once_soon, to_each
from usecases.meetings import group_translator
from usecases.services import Services

logger = logging.getLogger(__name__)
ASKED = "asked"
OPEN = "open"


def open_takeaway(session: Session, run: CaseRun, now: datetime) -> int:
    """The owner's takeaway for a finished case, created once; returns its id."""
    existing = session.scalars(select(Takeaway).where(Takeaway.run_id == run.id)).first()
    if existing is not None:
        return existing.id
    takeaway = Takeaway(
        run_id=run.id,
        group_id=run.meeting.group_id,
        meeting_id=run.meeting_id,
        owner_id=run.case.owner_id,
        case_title=run.case.title,
        status=ASKED,
        shared=False,
        asked_at=now,
    )
    session.add(takeaway)
    session.flush()
    return takeaway.id


@dataclass(frozen=True)
class TakeawayAnswer:
    learned: str
    attention: str
    goal: str
    target_date: date | None
    shared: bool


def save_takeaway(
    services: Services, takeaway_id: int, user_id: str, answer: TakeawayAnswer
) -> str | None:
    """Store the owner's takeaways; returns the case title, or None if it is not theirs."""
    with services.db.begin() as session:
        takeaway = session.get(Takeaway, takeaway_id)
        if takeaway is None or takeaway.owner_id != user_id:
            return None
        takeaway.learned = answer.learned
        takeaway.attention = answer.attention
        takeaway.goal = answer.goal
        takeaway.target_date = answer.target_date
        takeaway.shared = answer.shared
        if takeaway.status == ASKED:
            takeaway.status = OPEN
        takeaway.answered_at = services.clock()
        return takeaway.case_title


def update_goal(
    services: Services,
    takeaway_id: int,
    user_id: str,
    status: str,
    reflection: str | None,
    keep_reflection: bool = False,
) -> GoalFacts | None:
    """The owner says how their goal went (one click keeps an earlier reflection); returns the
    goal as it now stands, or None if it is not theirs or has no goal yet."""
    with services.db.begin() as session:
        takeaway = session.get(Takeaway, takeaway_id)
        if takeaway is None or takeaway.owner_id != user_id or takeaway.status == ASKED:
            return None
        takeaway.status = status
        if not keep_reflection:
            takeaway.reflection = reflection
        takeaway.followed_up_at = services.clock()
        return _facts(session, takeaway)


def _facts(session: Session, takeaway: Takeaway) -> GoalFacts:
    group = get_group(session, takeaway.group_id)
    return GoalFacts(
        takeaway_id=takeaway.id,
        case_title=takeaway.case_title,
        group_name=group.name if group else "",
        goal=takeaway.goal,
        status=takeaway.status,
        target_date=takeaway.target_date,
        shared=takeaway.shared,
        learned=takeaway.learned,
        reflection=takeaway.reflection,
    )


def goals_of(session: Session, user_id: str) -> list[GoalFacts]:
    query = select(Takeaway).where(Takeaway.owner_id == user_id).order_by(Takeaway.asked_at.desc())
    return [_facts(session, takeaway) for takeaway in session.scalars(query)]


def nudge_takeaways(services: Services, meeting_id: int) -> list[Outcome]:
    """Two days after the meeting, one gentle reminder to owners who did not answer; no more."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None:
            return []
        language = meeting.group.language
        waiting = [
            (t.id, t.owner_id, t.case_title)
            for t in session.scalars(
                select(Takeaway).where(Takeaway.meeting_id == meeting_id, Takeaway.status == ASKED)
            )
        ]
    nudges = [
        Notice(
            f"takeaway:{takeaway_id}:nudge",
            owner,
            takeaway_request(
                services.directory.translator(owner, language), takeaway_id, title, nudge=True
            ),
        )
        for takeaway_id, owner, title in waiting
    ]
    return send_dms(services, nudges)


def ask_follow_ups(services: Services, meeting_id: int) -> list[Outcome]:
    """Before the next meeting: ask each owner with an open goal in this group how it went."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None:
            return []
        language = meeting.group.language
        open_goals = [
            (t.owner_id, _facts(session, t))
            for t in session.scalars(
                select(Takeaway).where(
                    Takeaway.group_id == meeting.group_id,
                    Takeaway.status == OPEN,
                    Takeaway.meeting_id != meeting_id,
                )
            )
        ]
    asks = [
        Notice(
            f"takeaway:{goal.takeaway_id}:follow_up:{meeting_id}",
            owner,
            follow_up_request(services.directory.translator(owner, language), goal),
        )
        for owner, goal in open_goals
    ]
    return send_dms(services, asks)


def report_follow_ups(session: Session, group_id: int, meeting_id: int) -> None:
    """Mark what owners followed up since their case as brought up at this meeting's opening:
    each follow-up is reported once."""
    query = select(Takeaway).where(
        Takeaway.group_id == group_id,
        Takeaway.followed_up_at.is_not(None),
        Takeaway.reported_meeting_id.is_(None),
        Takeaway.meeting_id != meeting_id,
    )
    for takeaway in session.scalars(query):
        takeaway.reported_meeting_id = meeting_id


def reported_follow_ups(
    session: Session, meeting_id: int
) -> tuple[list[tuple[str, str, str, str | None]], int]:
    """The follow-ups brought up at this meeting's opening: the shared ones in full (owner,
    goal, status, reflection), the others as a count."""
    query = select(Takeaway).where(Takeaway.reported_meeting_id == meeting_id)
    shared, private = [], 0
    for takeaway in session.scalars(query.order_by(Takeaway.followed_up_at, Takeaway.id)):
        if takeaway.shared:
            shared.append(
                (
                    takeaway.owner_id,
                    takeaway.goal or takeaway.case_title,
                    takeaway.status,
                    takeaway.reflection,
                )
            )
        else:
            private += 1
    return shared, private


def ask_evaluations(services: Services, meeting_id: int) -> list[Outcome]:
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None:
            return []
        group = meeting.group
        language, name, members = group.language, group.name, group.member_ids
    key = f"meeting:{meeting_id}:evaluation"
    return send_dms(
        services,
        to_each(
            services, key, members, language, lambda tr: evaluation_request(tr, meeting_id, name)
        ),
    )


@dataclass(frozen=True)
class Scores:
    """One member's evaluation: 1-5 twice, and a remark the group may read only if `shared`."""

    safety: int
    usefulness: int
    remark: str | None
    shared: bool


def evaluate(services: Services, meeting_id: int, user_id: str, scores: Scores) -> Answer:
    """Store one evaluation; from three answers on, the group sees the anonymous summary, with
    the remarks their writers chose to share."""
    now = services.clock()
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None or not meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        evaluation = session.get(Evaluation, (meeting_id, user_id))
        if evaluation is None:
            evaluation = Evaluation(meeting_id=meeting_id, user_id=user_id, created_at=now)
            session.add(evaluation)
        evaluation.safety, evaluation.usefulness = scores.safety, scores.usefulness
        evaluation.remark, evaluation.remark_shared = scores.remark, scores.shared
        session.flush()
        answers = session.scalars(
            select(Evaluation).where(Evaluation.meeting_id == meeting_id)
        ).all()
        if len(answers) < MIN_EVALUATIONS:
            return Answer.DONE
        tr = group_translator(meeting.group)
        results = evaluation_results(
            tr,
            meeting.group.name,
            sum(a.safety for a in answers) / len(answers),
            sum(a.usefulness for a in answers) / len(answers),
            len(answers),
            sorted(a.remark for a in answers if a.remark and a.remark_shared),
        )
        channel, ts = meeting.group.channel_id, meeting.evaluation_ts
    if ts:
        services.client.chat_update(channel=channel, ts=ts, **results)
        return Answer.DONE

    def post() -> SlackResponse:
        posted = services.client.chat_postMessage(channel=channel, **results)
        with services.db.begin() as session:
            held = get_meeting(session, meeting_id)
            if held is not None:
                held.evaluation_ts = str(posted["ts"])
        return posted

    send_once_soon(services, f"meeting:{meeting_id}:evaluation_results", post)
    return Answer.DONE
