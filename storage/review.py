"""What a group's year in review reads: its evaluations' scores, its case owners' goal
outcomes and the meetings still to come. Never the remarks, the goals or the cases themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.meetings import SCHEDULED, STARTED
from storage.models import Evaluation, Meeting, MeetingRecord, Takeaway


def scores_of(session: Session, meeting_ids: Sequence[int]) -> dict[int, list[tuple[int, int]]]:
    """Each meeting's (safety, usefulness) answers."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    query = select(Evaluation.meeting_id, Evaluation.safety, Evaluation.usefulness).where(
        Evaluation.meeting_id.in_(meeting_ids)
    )
    for meeting_id, safety, usefulness in session.execute(query):
        found[meeting_id].append((safety, usefulness))
    return found


def goal_statuses(session: Session, group_id: int, meeting_ids: Sequence[int]) -> list[str]:
    """How the goals set at these meetings turned out (their status, nothing else)."""
    query = select(Takeaway.status).where(
        Takeaway.group_id == group_id, Takeaway.meeting_id.in_(meeting_ids)
    )
    return list(session.scalars(query))


def meetings_to_come(session: Session, group_id: int, now: datetime, until: datetime) -> int:
    """The group's meetings before `until` still to be held or under way: planned or started,
    not ended (no record yet), and not more than a day past their start (a meeting nobody
    opened or ended does not hold the review back for ever)."""
    ended = select(MeetingRecord.meeting_id).where(MeetingRecord.group_id == group_id)
    query = select(func.count(Meeting.id)).where(
        Meeting.group_id == group_id,
        Meeting.status.in_((SCHEDULED, STARTED)),
        Meeting.starts_at > now - timedelta(days=1),
        Meeting.starts_at < until,
        Meeting.id.not_in(ended),
    )
    return int(session.scalar(query) or 0)
