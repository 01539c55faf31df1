"""What the coach's path reads and writes: the facts of how a group runs its meetings (counts and
roles, never case content), clicks on a case's controls by role, coach's notes and group tips.
Functions take the session first and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from methods.coaching import HANDED_OVER, GroupFacts
from methods.review import MIN_EVALUATIONS, averages
from storage.attendance import group_history
from storage.models import (
    Case,
    CaseRun,
    CoachNote,
    ControlClick,
    Group,
    GroupTip,
    Meeting,
    Takeaway,
)
from storage.review import scores_of
from storage.runs import DONE, RUNNING


def record_click(
    session: Session, run_id: int, phase: int, action: str, by_role: str, now: datetime
) -> None:
    session.add(ControlClick(run_id=run_id, phase=phase, action=action, by_role=by_role, at=now))


def coached_groups(session: Session, team_id: str, user_id: str) -> Sequence[Group]:
    """The workspace's groups `user_id` coaches (not those they handed over)."""
    query = (
        select(Group)
        .where(
            Group.team_id == team_id,
            Group.facilitator_id == user_id,
            Group.coach_stance != HANDED_OVER,
        )
        .order_by(Group.name, Group.id)
    )
    return session.scalars(query).all()


def meeting_started_since(session: Session, group_id: int, moment: datetime) -> bool:
    query = select(Meeting.id).where(Meeting.group_id == group_id, Meeting.started_at > moment)
    return session.scalars(query.limit(1)).first() is not None


def group_facts(session: Session, group: Group) -> GroupFacts:
    """How the group has run its meetings so far; the phases moved on count the last
    `group.ready_meetings` meetings that started."""
    runs = session.execute(
        select(CaseRun.chair_id, CaseRun.timekeeper_id, CaseRun.method_id, Case.owner_id)
        .join(Meeting, Meeting.id == CaseRun.meeting_id)
        .join(Case, Case.id == CaseRun.case_id)
        .where(Meeting.group_id == group.id, CaseRun.status.in_((RUNNING, DONE)))
        .order_by(CaseRun.id)
    ).all()
    recent = select(Meeting.id).where(Meeting.group_id == group.id, Meeting.started_at.is_not(None))
    recent_ids = list(
        session.scalars(recent.order_by(Meeting.started_at.desc()).limit(group.ready_meetings))
    )
    moves = dict(
        session.execute(
            select(ControlClick.by_role, func.count())
            .join(CaseRun, CaseRun.id == ControlClick.run_id)
            .where(CaseRun.meeting_id.in_(recent_ids), ControlClick.action == "next")
            .group_by(ControlClick.by_role)
        ).all()
    )
    history = group_history(session, group.id)
    scores = scores_of(session, [record.meeting_id for record, _ in history])
    answered = [s for found in scores.values() if len(found) >= MIN_EVALUATIONS for s in found]
    safety, usefulness = averages(answered)
    goals = session.execute(
        select(func.count(), func.count(Takeaway.followed_up_at)).where(
            Takeaway.group_id == group.id, Takeaway.goal.is_not(None)
        )
    ).one()
    return GroupFacts(
        members=tuple(group.member_ids),
        meetings=len(history),
        chairs=tuple(dict.fromkeys(r.chair_id for r in runs if r.chair_id)),
        timekeepers=tuple(dict.fromkeys(r.timekeeper_id for r in runs if r.timekeeper_id)),
        owners=tuple(dict.fromkeys(r.owner_id for r in runs)),
        methods=tuple(dict.fromkeys(r.method_id for r in runs)),
        moves_by_members=int(moves.get("member", 0)),
        moves_by_coach=int(moves.get("coach", 0)),
        present=tuple(present for _, present in history),
        safety=safety,
        usefulness=usefulness,
        goals=int(goals[0]),
        goals_followed_up=int(goals[1]),
    )


def add_note(session: Session, run_id: int, phase_id: str, text: str, now: datetime) -> int:
    note = CoachNote(run_id=run_id, phase_id=phase_id, text=text, created_at=now)
    session.add(note)
    session.flush()
    return note.id


def get_note(session: Session, note_id: int) -> CoachNote | None:
    return session.get(CoachNote, note_id)


def tip_for(session: Session, group_id: int, method_id: str, phase_id: str) -> str | None:
    tip = session.get(GroupTip, (group_id, method_id, phase_id))
    return tip.text if tip is not None else None


def tips_of(session: Session, group_id: int, method_id: str | None = None) -> Sequence[GroupTip]:
    query = select(GroupTip).where(GroupTip.group_id == group_id)
    if method_id is not None:
        query = query.where(GroupTip.method_id == method_id)
    return session.scalars(query.order_by(GroupTip.method_id, GroupTip.phase_id)).all()


def keep_tip(
    session: Session, group_id: int, method_id: str, phase_id: str, text: str, now: datetime
) -> None:
    """The group's tip for the phase, replacing the one it had."""
    tip = session.get(GroupTip, (group_id, method_id, phase_id))
    if tip is None:
        session.add(
            GroupTip(
                group_id=group_id, method_id=method_id, phase_id=phase_id, text=text, updated_at=now
            )
        )
    else:
        tip.text, tip.updated_at = text, now


def drop_tip(session: Session, group_id: int, method_id: str, phase_id: str) -> None:
    session.execute(
        delete(GroupTip).where(
            GroupTip.group_id == group_id,
            GroupTip.method_id == method_id,
            GroupTip.phase_id == phase_id,
        )
    )


def release_guest(session: Session, meeting_id: int) -> None:
    """A former coach called back for this meeting leaves the group again."""
    group = session.scalars(select(Group).where(Group.guest_meeting_id == meeting_id)).first()
    if group is not None:
        group.release_guest()
