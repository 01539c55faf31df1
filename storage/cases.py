"""Repository for cases and the votes that choose them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from methods.cases import CaseFields
from storage.db import toggle_row
from storage.meetings import SCHEDULED
from storage.models import Case, CaseVote, Group, Meeting

SUBMITTED = "submitted"
SELECTED = "selected"
WITHDRAWN = "withdrawn"
DISCUSSED = "discussed"
OPEN_STATUSES = (SUBMITTED, SELECTED)


def get_case(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def add_case(
    session: Session,
    group: Group,
    meeting_id: int | None,
    owner_id: str,
    fields: CaseFields,
    now: datetime,
) -> Case:
    case = Case(group=group, owner_id=owner_id, status=SUBMITTED, created_at=now)
    session.add(case)
    update_case(session, case, meeting_id, fields, now)
    return case


def update_case(
    session: Session, case: Case, meeting_id: int | None, fields: CaseFields, now: datetime
) -> None:
    case.meeting_id = meeting_id
    for name, value in asdict(fields).items():
        setattr(case, name, value)
    case.updated_at = now
    session.flush()


def fields_of_case(case: Case) -> CaseFields:
    return CaseFields(**{f.name: getattr(case, f.name) for f in dataclass_fields(CaseFields)})


def cases_of(
    session: Session, owner_id: str, statuses: tuple[str, ...] = OPEN_STATUSES
) -> Sequence[Case]:
    """The owner's cases in these statuses, newest first."""
    query = (
        select(Case)
        .where(Case.owner_id == owner_id, Case.status.in_(statuses))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    return session.scalars(query).all()


def cases_for_meeting(session: Session, meeting_id: int) -> Sequence[Case]:
    query = (
        select(Case)
        .where(Case.meeting_id == meeting_id, Case.status.in_(OPEN_STATUSES))
        .order_by(Case.created_at, Case.id)
    )
    return session.scalars(query).all()


def toggle_case_vote(session: Session, case: Case, user_id: str, now: datetime) -> None:
    toggle_row(
        session, CaseVote.__table__, {"case_id": case.id, "user_id": user_id}, {"voted_at": now}
    )


def next_meeting_after(session: Session, group_id: int, after: datetime) -> Meeting | None:
    query = (
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == SCHEDULED,
            Meeting.starts_at > after,
        )
        .order_by(Meeting.starts_at)
        .limit(1)
    )
    return session.scalars(query).first()


def adopt_waiting_cases(session: Session, meeting: Meeting, now: datetime) -> None:
    """Cases waiting for "the next meeting" join this one when it is the group's next."""
    upcoming = next_meeting_after(session, meeting.group_id, now)
    if upcoming is None or upcoming.id != meeting.id:
        return
    waiting = select(Case).where(
        Case.group_id == meeting.group_id, Case.meeting_id.is_(None), Case.status == SUBMITTED
    )
    for case in session.scalars(waiting):
        case.meeting_id = meeting.id
    session.flush()
