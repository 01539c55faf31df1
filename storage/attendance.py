"""Repository for meeting records and attendance: who was present, and what the meeting was."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.models import Attendance, Group, MeetingRecord


def attendees(session: Session, meeting_id: int) -> list[str]:
    query = (
        select(Attendance.user_id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Attendance.marked_at, Attendance.user_id)
    )
    return list(session.scalars(query))


def mark_present(
    session: Session, meeting_id: int, user_id: str, marked_by: str, now: datetime
) -> bool:
    """Record the user as present; False if they already were."""
    if session.get(Attendance, (meeting_id, user_id)) is not None:
        return False
    session.add(
        Attendance(meeting_id=meeting_id, user_id=user_id, marked_by=marked_by, marked_at=now)
    )
    session.flush()
    return True


def set_attendees(
    session: Session, meeting_id: int, user_ids: Iterable[str], marked_by: str, now: datetime
) -> None:
    """The chair's correction: exactly these people were present."""
    wanted = list(dict.fromkeys(user_ids))
    session.execute(
        delete(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.user_id.not_in(wanted)
        )
    )
    for user_id in wanted:
        mark_present(session, meeting_id, user_id, marked_by, now)


def get_record(session: Session, meeting_id: int) -> MeetingRecord | None:
    return session.get(MeetingRecord, meeting_id)


def add_record(
    session: Session,
    meeting_id: int,
    group_id: int,
    started_at: datetime,
    ended_at: datetime,
    minutes: int,
    method_ids: Sequence[str],
    cases_discussed: int,
) -> MeetingRecord:
    """The meeting's record, written once when it ends (an existing record is kept)."""
    record = session.get(MeetingRecord, meeting_id)
    if record is None:
        record = MeetingRecord(
            meeting_id=meeting_id,
            group_id=group_id,
            started_at=started_at,
            ended_at=ended_at,
            minutes=minutes,
            method_ids=",".join(method_ids),
            cases_discussed=cases_discussed,
        )
        session.add(record)
        session.flush()
    return record


def records_attended(
    session: Session, team_id: str, user_id: str
) -> list[tuple[MeetingRecord, Group]]:
    """Every recorded meeting of the workspace's groups the user was present at, oldest
    first."""
    query = (
        select(MeetingRecord, Group)
        .join(Attendance, Attendance.meeting_id == MeetingRecord.meeting_id)
        .join(Group, Group.id == MeetingRecord.group_id)
        .where(Attendance.user_id == user_id, Group.team_id == team_id)
        .order_by(MeetingRecord.started_at)
    )
    return [(record, group) for record, group in session.execute(query)]


def group_history(session: Session, group_id: int) -> list[tuple[MeetingRecord, int]]:
    """The group's recorded meetings, oldest first, each with the number present."""
    present = (
        select(func.count(Attendance.user_id))
        .where(Attendance.meeting_id == MeetingRecord.meeting_id)
        .scalar_subquery()
    )
    query = (
        select(MeetingRecord, present)
        .where(MeetingRecord.group_id == group_id)
        .order_by(MeetingRecord.started_at)
    )
    return [(record, int(count)) for record, count in session.execute(query)]
