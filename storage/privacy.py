"""Repository for what members own: content kept for a while, their export, being forgotten."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import ColumnElement

from storage.cases import DISCUSSED
from storage.meetings import forget_keys_naming
from storage.models import (
    Attendance,
    Case,
    CaseRun,
    CaseVote,
    CoachNote,
    Contribution,
    Evaluation,
    Group,
    GroupMember,
    IssuedProof,
    Meeting,
    MeetingRecord,
    MeetingResponse,
    Person,
    Proposal,
    ProposalOption,
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
        session.execute(delete(CoachNote).where(CoachNote.run_id.in_(runs)))
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
    proofs: Sequence[IssuedProof]
    people: Sequence[Person]

    def counts(self) -> dict[str, int]:
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}


def everything_about(session: Session, team_id: str, user_id: str) -> AboutPerson:
    """What the workspace's bot keeps about this person (another workspace's groups, which a
    member of a shared channel may also be in, are not this workspace's to show)."""
    ours = _Ours(team_id)
    member_of = select(GroupMember.group_id).where(
        GroupMember.user_id == user_id, GroupMember.group_id.in_(ours.groups)
    )
    return AboutPerson(
        groups=session.scalars(
            select(Group)
            .where(
                Group.team_id == team_id,
                Group.id.in_(member_of) | (Group.facilitator_id == user_id),
            )
            .order_by(Group.id)
        ).all(),
        cases=_rows(session, Case.owner_id == user_id, Case.id.in_(ours.cases), Case.id),
        contributions=_rows(
            session,
            Contribution.user_id == user_id,
            Contribution.run_id.in_(ours.runs),
            Contribution.id,
        ),
        takeaways=_rows(
            session, Takeaway.owner_id == user_id, Takeaway.group_id.in_(ours.groups), Takeaway.id
        ),
        evaluations=_rows(
            session,
            Evaluation.user_id == user_id,
            Evaluation.meeting_id.in_(ours.meetings),
            Evaluation.meeting_id,
        ),
        answers=_rows(
            session,
            MeetingResponse.user_id == user_id,
            MeetingResponse.meeting_id.in_(ours.meetings),
            MeetingResponse.meeting_id,
        ),
        attendance=_rows(
            session,
            Attendance.user_id == user_id,
            Attendance.meeting_id.in_(ours.meetings),
            Attendance.meeting_id,
        ),
        proofs=_rows(
            session,
            IssuedProof.user_id == user_id,
            IssuedProof.meeting_id.in_(ours.meetings),
            IssuedProof.issued_at,
        ),
        people=session.scalars(
            select(Person).where(Person.team_id == team_id, Person.user_id == user_id)
        ).all(),
    )


def _rows(
    session: Session,
    theirs: ColumnElement[bool],
    ours: ColumnElement[bool],
    order: InstrumentedAttribute[Any],
) -> Sequence[Any]:
    """The rows of `order`'s table that are about the person (`theirs`) in this workspace."""
    return session.scalars(select(order.class_).where(theirs, ours).order_by(order)).all()


class _Ours:
    """The ids of what belongs to one workspace, as subqueries."""

    def __init__(self, team_id: str) -> None:
        self.groups = select(Group.id).where(Group.team_id == team_id)
        self.meetings = select(Meeting.id).where(Meeting.group_id.in_(self.groups))
        self.runs = select(CaseRun.id).where(CaseRun.meeting_id.in_(self.meetings))
        self.cases = select(Case.id).where(Case.group_id.in_(self.groups))
        self.options = select(ProposalOption.id).where(
            ProposalOption.proposal_id.in_(
                select(Proposal.id).where(Proposal.group_id.in_(self.groups))
            )
        )


def _unname(session: Session, ours: _Ours, user_id: str) -> None:
    """Who did what in the groups (planned a meeting, chaired a case, corrected a record):
    no longer this person. A column that must hold someone holds nobody's id ("")."""
    groups = select(Group.id).where(Group.id.in_(ours.groups))
    for model, column, within in (
        (Meeting, Meeting.created_by, Meeting.id.in_(ours.meetings)),
        (Meeting, Meeting.started_by, Meeting.id.in_(ours.meetings)),
        (Meeting, Meeting.cases_chosen_by, Meeting.id.in_(ours.meetings)),
        (Proposal, Proposal.created_by, Proposal.group_id.in_(groups)),
        (Proposal, Proposal.confirmed_by, Proposal.group_id.in_(groups)),
        (CaseRun, CaseRun.chair_id, CaseRun.id.in_(ours.runs)),
        (CaseRun, CaseRun.timekeeper_id, CaseRun.id.in_(ours.runs)),
        (MeetingRecord, MeetingRecord.corrected_by, MeetingRecord.meeting_id.in_(ours.meetings)),
        (Attendance, Attendance.marked_by, Attendance.meeting_id.in_(ours.meetings)),
    ):
        nobody = None if column.property.columns[0].nullable else ""
        session.execute(
            update(model)
            .where(column == user_id, within)
            .values({column.key: nobody})
            .execution_options(synchronize_session=False)
        )


def forget(session: Session, team_id: str, user_id: str) -> None:
    """Delete what this person wrote in the workspace's groups and their memberships there;
    others' data stays intact.

    Their cases go with the runs, advice and takeaways about them; the advice they gave on
    others' cases goes, the other owners' takeaways stay."""
    ours = _Ours(team_id)
    mine = Contribution.user_id == user_id
    session.execute(delete(Contribution).where(mine, Contribution.run_id.in_(ours.runs)))
    owned = select(Case.id).where(Case.owner_id == user_id, Case.group_id.in_(ours.groups))
    session.execute(
        delete(Takeaway).where(Takeaway.owner_id == user_id, Takeaway.group_id.in_(ours.groups))
    )
    session.execute(delete(CaseRun).where(CaseRun.case_id.in_(owned)))
    session.execute(delete(Case).where(Case.id.in_(owned)))
    for table, column in (
        (Evaluation, Evaluation.meeting_id),
        (MeetingResponse, MeetingResponse.meeting_id),
        (Attendance, Attendance.meeting_id),
        (IssuedProof, IssuedProof.meeting_id),
    ):
        session.execute(delete(table).where(table.user_id == user_id, column.in_(ours.meetings)))
    session.execute(
        delete(CaseVote).where(CaseVote.user_id == user_id, CaseVote.case_id.in_(ours.cases))
    )
    session.execute(
        delete(ProposalVote).where(
            ProposalVote.user_id == user_id, ProposalVote.option_id.in_(ours.options)
        )
    )
    session.execute(
        delete(GroupMember).where(
            GroupMember.user_id == user_id, GroupMember.group_id.in_(ours.groups)
        )
    )
    for column in (Group.facilitator_id, Group.former_coach_id):
        session.execute(
            update(Group).where(Group.team_id == team_id, column == user_id).values({column: None})
        )
    session.execute(
        update(Group)
        .where(Group.team_id == team_id, Group.guest_coach_id == user_id)
        .values(guest_coach_id=None, guest_meeting_id=None, guest_accepted=False)
    )
    session.execute(delete(Person).where(Person.team_id == team_id, Person.user_id == user_id))
    _unname(session, ours, user_id)
    forget_keys_naming(session, [user_id])
    session.expire_all()
