"""Repository for what members own: content kept for a while, their export, being forgotten."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.cases import DISCUSSED
from storage.models import (
    Attendance,
    Case,
    CaseRun,
    CaseVote,
    Contribution,
    Evaluation,
    Group,
    GroupMember,
    Meeting,
    MeetingResponse,
    Person,
    ProposalVote,
    Takeaway,
)


def purge_expired_content(session: Session, now: datetime) -> int:
    """Delete the content of discussed cases (and their advice, takeaways and the meeting's
    evaluation remarks) once their group's retention has passed. Titles and counts stay.
    Idempotent: a purged case is marked and skipped. Returns how many cases were purged."""
    candidates = session.execute(
        select(Case, Meeting.starts_at, Group.retention_days)
        .join(Meeting, Case.meeting_id == Meeting.id)
        .join(Group, Case.group_id == Group.id)
        .where(Case.status == DISCUSSED, Case.purged_at.is_(None))
    ).all()
    purged = 0
    for case, starts_at, days in candidates:
        if starts_at + timedelta(days=days) > now:
            continue
        case.situation = ""
        case.question = ""
        case.link = None
        case.purged_at = now
        runs = select(CaseRun.id).where(CaseRun.case_id == case.id)
        session.execute(delete(Contribution).where(Contribution.run_id.in_(runs)))
        session.execute(
            update(Takeaway)
            .where(Takeaway.run_id.in_(runs))
            .values(learned=None, attention=None, goal=None, reflection=None)
        )
        session.execute(
            update(Evaluation)
            .where(Evaluation.meeting_id == case.meeting_id, Evaluation.remark.is_not(None))
            .values(remark=None)
        )
        purged += 1
    session.flush()
    return purged


@dataclass(frozen=True)
class AboutPerson:
    """Every stored row that is about one person, by kind."""

    groups: Sequence[Group]
    cases: Sequence[Case]
    contributions: Sequence[Contribution]
    takeaways: Sequence[Takeaway]
    evaluations: Sequence[Evaluation]
    answers: Sequence[MeetingResponse]
    attendance: Sequence[Attendance]
    people: Sequence[Person]

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}


def everything_about(session: Session, user_id: str) -> AboutPerson:
    member_of = select(GroupMember.group_id).where(GroupMember.user_id == user_id)
    return AboutPerson(
        groups=session.scalars(
            select(Group)
            .where(Group.id.in_(member_of) | (Group.facilitator_id == user_id))
            .order_by(Group.id)
        ).all(),
        cases=session.scalars(select(Case).where(Case.owner_id == user_id).order_by(Case.id)).all(),
        contributions=session.scalars(
            select(Contribution).where(Contribution.user_id == user_id).order_by(Contribution.id)
        ).all(),
        takeaways=session.scalars(
            select(Takeaway).where(Takeaway.owner_id == user_id).order_by(Takeaway.id)
        ).all(),
        evaluations=session.scalars(
            select(Evaluation).where(Evaluation.user_id == user_id).order_by(Evaluation.meeting_id)
        ).all(),
        answers=session.scalars(
            select(MeetingResponse)
            .where(MeetingResponse.user_id == user_id)
            .order_by(MeetingResponse.meeting_id)
        ).all(),
        attendance=session.scalars(
            select(Attendance).where(Attendance.user_id == user_id).order_by(Attendance.meeting_id)
        ).all(),
        people=session.scalars(select(Person).where(Person.user_id == user_id)).all(),
    )


def forget(session: Session, user_id: str) -> None:
    """Delete what this person wrote and their memberships; others' data stays intact.

    Their cases go with the runs, advice and takeaways about them; the advice they gave on
    others' cases goes, the other owners' takeaways stay."""
    session.execute(delete(Contribution).where(Contribution.user_id == user_id))
    owned = select(Case.id).where(Case.owner_id == user_id)
    session.execute(delete(Takeaway).where(Takeaway.owner_id == user_id))
    session.execute(delete(CaseRun).where(CaseRun.case_id.in_(owned)))
    session.execute(delete(Case).where(Case.owner_id == user_id))
    session.execute(delete(Evaluation).where(Evaluation.user_id == user_id))
    session.execute(delete(MeetingResponse).where(MeetingResponse.user_id == user_id))
    session.execute(delete(Attendance).where(Attendance.user_id == user_id))
    session.execute(delete(CaseVote).where(CaseVote.user_id == user_id))
    session.execute(delete(ProposalVote).where(ProposalVote.user_id == user_id))
    session.execute(delete(GroupMember).where(GroupMember.user_id == user_id))
    session.execute(
        update(Group).where(Group.facilitator_id == user_id).values(facilitator_id=None)
    )
    session.execute(delete(Person).where(Person.user_id == user_id))
    session.expire_all()
