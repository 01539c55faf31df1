"""Repository for case runs (a case worked through with a method), their contributions, and a
group's own phase durations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, delete, func, select, update
from sqlalchemy.orm import Session, joinedload

from storage.db import insert_new, insert_new_rows
from storage.meetings import STARTED
from storage.models import (
    Case,
    CaseRun,
    Contribution,
    Group,
    GroupPhaseMinutes,
    Meeting,
    RunMessage,
)

WAITING = "waiting"
RUNNING = "running"
DONE = "done"


# A case run is almost always read with its meeting, group and case: load them in one query.
WITH_CONTEXT = (
    joinedload(CaseRun.meeting).joinedload(Meeting.group).lazyload(Group.members),
    joinedload(CaseRun.case).lazyload(Case.votes),
)


def get_run(session: Session, run_id: int, *, for_update: bool = False) -> CaseRun | None:
    query = select(CaseRun).where(CaseRun.id == run_id).options(*WITH_CONTEXT)
    if for_update:
        query = query.with_for_update(of=CaseRun)  # lock the run's own row only
    return session.scalars(query).unique().one_or_none()


def get_runs(
    session: Session, run_ids: Iterable[int], *, for_update: bool = False
) -> Sequence[CaseRun]:
    """Many runs with their context, in one query; locked in the order of their ids, so that
    two transactions that lock overlapping runs never wait for each other in a circle."""
    query = (
        select(CaseRun)
        .where(CaseRun.id.in_(list(run_ids)))
        .options(*WITH_CONTEXT)
        .order_by(CaseRun.id)
    )
    if for_update:
        query = query.with_for_update(of=CaseRun)
    return session.scalars(query).unique().all()


def add_run(
    session: Session,
    meeting_id: int,
    case_id: int,
    position: int,
    method_id: str,
    mode: str = "live",
) -> CaseRun:
    run = CaseRun(
        meeting_id=meeting_id,
        case_id=case_id,
        position=position,
        method_id=method_id,
        mode=mode,
        status=WAITING,
        phase=0,
        ran_before=0.0,
        extra_minutes=0,
        heads_up_sent=False,
        over_announced=False,
    )
    session.add(run)
    session.flush()
    return run


def set_parent_ts(session: Session, run_id: int, ts: str) -> None:
    session.execute(update(CaseRun).where(CaseRun.id == run_id).values(parent_ts=ts))


def runs_of(session: Session, meeting_id: int) -> Sequence[CaseRun]:
    query = select(CaseRun).where(CaseRun.meeting_id == meeting_id).order_by(CaseRun.position)
    return session.scalars(query).all()


def next_waiting_run(session: Session, meeting_id: int) -> CaseRun | None:
    query = (
        select(CaseRun)
        .where(CaseRun.meeting_id == meeting_id, CaseRun.status == WAITING)
        .order_by(CaseRun.position)
        .limit(1)
    )
    return session.scalars(query).first()


def running_runs(session: Session) -> Sequence[CaseRun]:
    query = select(CaseRun).where(CaseRun.status == RUNNING).options(*WITH_CONTEXT)
    return session.scalars(query).unique().all()


def last_roles(session: Session, group_id: int) -> dict[str, dict[str, datetime]]:
    """For each role, when each member last had it in this group."""
    roles: dict[str, dict[str, datetime]] = {"chair": {}, "timekeeper": {}}
    for role, column in (("chair", CaseRun.chair_id), ("timekeeper", CaseRun.timekeeper_id)):
        query = (
            select(column, func.max(CaseRun.phase_started_at))
            .join(Meeting, Meeting.id == CaseRun.meeting_id)
            .where(Meeting.group_id == group_id, column.is_not(None))
            .group_by(column)
        )
        roles[role] = {user: when for user, when in session.execute(query) if user and when}
    return roles


def add_contribution(
    session: Session, run_id: int, phase_id: str, user_id: str, text: str, now: datetime
) -> None:
    session.add(
        Contribution(run_id=run_id, phase_id=phase_id, user_id=user_id, text=text, created_at=now)
    )
    session.flush()


def run_in_thread(session: Session, channel_id: str, thread_ts: str) -> CaseRun | None:
    """The running case whose thread, in this channel, starts at `thread_ts`."""
    query = (
        select(CaseRun)
        .join(Meeting, Meeting.id == CaseRun.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(
            CaseRun.parent_ts == thread_ts,
            CaseRun.status == RUNNING,
            Group.channel_id == channel_id,
        )
        .options(*WITH_CONTEXT)
    )
    return session.scalars(query).unique().first()


def add_reply(
    session: Session,
    run_id: int,
    phase_id: str,
    user_id: str,
    text: str,
    message_ts: str,
    now: datetime,
) -> bool:
    """A reply in the case's thread as a contribution; False when it was added before (Slack
    delivers an event again when it did not hear back in time)."""
    row = {
        "run_id": run_id,
        "phase_id": phase_id,
        "user_id": user_id,
        "text": text,
        "created_at": now,
        "message_ts": message_ts,
    }
    return insert_new(session, Contribution.__table__, row)


def _reply(run_id: int, phase_id: str, message_ts: str) -> tuple[ColumnElement[bool], ...]:
    """The contribution a reply made in this phase of the run (once the phase is over, none)."""
    return (
        Contribution.run_id == run_id,
        Contribution.phase_id == phase_id,
        Contribution.message_ts == message_ts,
    )


def edit_reply(session: Session, run_id: int, phase_id: str, message_ts: str, text: str) -> bool:
    """The reply was edited while its phase still runs: its contribution reads the new text."""
    statement = update(Contribution).where(*_reply(run_id, phase_id, message_ts)).values(text=text)
    result = session.execute(statement.execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0))


def remove_reply(session: Session, run_id: int, phase_id: str, message_ts: str) -> bool:
    """The reply was deleted while its phase still runs: so is its contribution."""
    statement = delete(Contribution).where(*_reply(run_id, phase_id, message_ts))
    result = session.execute(statement.execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0))


def contributions(
    session: Session, run_id: int, phase_id: str | None = None
) -> Sequence[Contribution]:
    query = select(Contribution).where(Contribution.run_id == run_id)
    if phase_id is not None:
        query = query.where(Contribution.phase_id == phase_id)
    return session.scalars(query.order_by(Contribution.created_at, Contribution.id)).all()


def phase_minutes(session: Session, group_id: int, method_id: str) -> dict[str, int]:
    query = select(GroupPhaseMinutes).where(
        GroupPhaseMinutes.group_id == group_id, GroupPhaseMinutes.method_id == method_id
    )
    return {row.phase_id: row.minutes for row in session.scalars(query)}


def all_phase_minutes(
    session: Session, group_ids: Iterable[int]
) -> dict[tuple[int, str], dict[str, int]]:
    """The own phase durations of many groups at once, by (group, method)."""
    found: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    query = select(GroupPhaseMinutes).where(GroupPhaseMinutes.group_id.in_(list(group_ids)))
    for row in session.scalars(query):
        found[(row.group_id, row.method_id)][row.phase_id] = row.minutes
    return found


def set_phase_minutes(
    session: Session, group_id: int, method_id: str, minutes: dict[str, int]
) -> None:
    for phase_id, value in minutes.items():
        row = session.get(GroupPhaseMinutes, (group_id, method_id, phase_id))
        if row is None:
            session.add(
                GroupPhaseMinutes(
                    group_id=group_id, method_id=method_id, phase_id=phase_id, minutes=value
                )
            )
        else:
            row.minutes = value
    session.flush()


def outgoing(
    run_id: int, key: str, kind: str, body: str | None, now: datetime
) -> dict[str, object]:
    """A message for a run's outbox, for `queue_messages`."""
    return {"run_id": run_id, "key": key, "kind": kind, "body": body, "created_at": now}


def queue_message(
    session: Session, run_id: int, key: str, kind: str, body: str | None, now: datetime
) -> None:
    """Add to the run's outbox, unless a message with this key was queued before."""
    queue_messages(session, [outgoing(run_id, key, kind, body, now)])


def queue_messages(session: Session, messages: Sequence[dict[str, object]]) -> None:
    """Add to the outboxes in one statement, in order, each message unless one with its key
    was queued before."""
    if messages:
        insert_new_rows(session, RunMessage.__table__, list(messages))


def pending_messages(session: Session, run_id: int) -> Sequence[RunMessage]:
    query = select(RunMessage).where(RunMessage.run_id == run_id, RunMessage.sent_at.is_(None))
    return session.scalars(query.order_by(RunMessage.id)).all()


def pending_messages_of(session: Session, run_ids: Sequence[int]) -> dict[int, list[RunMessage]]:
    """The unsent messages of many runs, in one query, each run's in order."""
    found: dict[int, list[RunMessage]] = defaultdict(list)
    if not run_ids:
        return found
    query = select(RunMessage).where(RunMessage.run_id.in_(run_ids), RunMessage.sent_at.is_(None))
    for message in session.scalars(query.order_by(RunMessage.id)):
        found[message.run_id].append(message)
    return found


def runs_with_pending_messages(session: Session) -> Sequence[int]:
    query = select(RunMessage.run_id).where(RunMessage.sent_at.is_(None)).distinct()
    return session.scalars(query).all()


def mark_sent(session: Session, message_id: int, now: datetime, ts: str | None = None) -> bool:
    """Mark an outbox message sent (with the ts Slack gave it, for a message in the thread);
    False when it already was (another delivery got there). One conditional UPDATE, so that
    two processes can never both win."""
    values: dict[str, object] = {"sent_at": now} if ts is None else {"sent_at": now, "ts": ts}
    result = session.execute(
        update(RunMessage)
        .where(RunMessage.id == message_id, RunMessage.sent_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)  # nothing read needs it: no evaluation
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def mark_all_sent(session: Session, sent: Sequence[tuple[int, str]], now: datetime) -> None:
    """Mark many outbox messages sent in the thread, in one statement: (id, ts) each."""
    table = RunMessage.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("sent_id"), table.c.sent_at.is_(None))
        .values(sent_at=now, ts=bindparam("sent_ts"))
    )
    session.execute(statement, [{"sent_id": i, "sent_ts": ts} for i, ts in sent])


def posted_message(session: Session, run_id: int, key: str) -> RunMessage | None:
    """An outbox message of the run that Slack took (it has a ts), by its key."""
    query = select(RunMessage).where(
        RunMessage.run_id == run_id, RunMessage.key == key, RunMessage.ts.is_not(None)
    )
    return session.scalars(query).first()


def run_of_case(session: Session, case_id: int) -> CaseRun | None:
    return session.scalars(select(CaseRun).where(CaseRun.case_id == case_id)).first()


def running_meeting(session: Session, group_id: int, now: datetime) -> Meeting | None:
    """The group's meeting under way: started, with a case not yet done (or, before its first
    case began, still within its planned time)."""
    query = (
        select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.status == STARTED)
        .order_by(Meeting.started_at.desc())
        .limit(1)
    )
    meeting = session.scalars(query).first()
    if meeting is None:
        return None
    statuses = set(session.scalars(select(CaseRun.status).where(CaseRun.meeting_id == meeting.id)))
    if statuses - {DONE}:
        return meeting
    begun = meeting.started_at or meeting.starts_at
    return meeting if not statuses and now < begun + timedelta(minutes=meeting.minutes) else None
