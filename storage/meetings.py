"""Repository for meetings and the reminders promised for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Row, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from storage.db import insert_new, insert_new_rows
from storage.models import Delivery, Group, Meeting, MeetingResponse, Reminder

SCHEDULED = "scheduled"
STARTED = "started"
CANCELLED = "cancelled"
PENDING = "pending"


def get_meeting(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


def add_meeting(
    session: Session,
    group: Group,
    *,
    uid: str,
    starts_at: datetime,
    minutes: int,
    location: str,
    case_slots: int,
    created_by: str,
    now: datetime,
) -> Meeting:
    meeting = Meeting(
        group=group,
        uid=uid,
        starts_at=starts_at,
        minutes=minutes,
        location=location,
        case_slots=case_slots,
        status=SCHEDULED,
        sequence=0,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    session.flush()
    return meeting


def upcoming_meetings(session: Session, group_id: int, now: datetime) -> Sequence[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.status == SCHEDULED, Meeting.starts_at > now)
        .order_by(Meeting.starts_at)
    )
    return session.scalars(query).all()


def set_reminders(
    session: Session, meeting: Meeting, plan: Iterable[tuple[str, datetime, str]], now: datetime
) -> None:
    """Replace the meeting's reminders by `plan` of (kind, due, status)."""
    existing = {reminder.kind: reminder for reminder in meeting.reminders}
    for kind, due, status in plan:
        reminder = existing.get(kind)
        if reminder is None:
            reminder = Reminder(kind=kind)
            meeting.reminders.append(reminder)
        reminder.due_at = due
        reminder.status = status
        reminder.done_at = None if status == PENDING else now
    session.flush()


def cancel_reminders(session: Session, meeting: Meeting, now: datetime) -> None:
    for reminder in meeting.reminders:
        if reminder.status == PENDING:
            reminder.status = CANCELLED
            reminder.done_at = now
    session.flush()


def get_reminder(session: Session, reminder_id: int) -> Reminder | None:
    return session.get(Reminder, reminder_id)


def pending_reminders(session: Session) -> Sequence[Row[tuple[Reminder, str]]]:
    """Reminders still to send, with their workspace's team id, leaving out those of groups
    whose timers are paused."""
    query = (
        select(Reminder, Group.team_id)
        .join(Meeting, Reminder.meeting_id == Meeting.id)
        .join(Group, Meeting.group_id == Group.id)
        .where(Reminder.status == PENDING, Group.paused_at.is_(None))
        .order_by(Reminder.due_at)
    )
    return session.execute(query).all()


def finish_reminder(session: Session, reminder: Reminder, status: str, now: datetime) -> None:
    reminder.status = status
    reminder.done_at = now
    session.flush()


def claim_delivery(session: Session, key: str, now: datetime) -> bool:
    """Record that the message under `key` is being sent; False if it already was."""
    row = {"key": key, "created_at": now, "claimed_at": now}
    return insert_new(session, Delivery.__table__, row)


def claim_deliveries(session: Session, keys: Sequence[str], now: datetime) -> list[str]:
    """Claim many messages at once, in one statement; the keys this call claimed."""
    if not keys:
        return []
    rows = [{"key": key, "created_at": now, "claimed_at": now} for key in keys]
    return [row[0] for row in insert_new_rows(session, Delivery.__table__, rows)]


def delivery_in_flight(session: Session, key: str, now: datetime, patience: timedelta) -> bool:
    """Claimed but not yet recorded as sent, less than `patience` ago: another thread or
    process is sending it now (an older one is `orphaned_delivery`)."""
    delivery = session.get(Delivery, key)
    return (
        delivery is not None
        and delivery.ts is None
        and delivery.channel is None
        and now - delivery.created_at < patience
    )


@dataclass(frozen=True)
class Doubt:
    """A message Slack may have: where to look for it in time. Slack cannot have it from before
    `since`; whatever Slack had by `known` (the moment the bot lost track), a look made after
    then shows."""

    since: datetime | None
    known: datetime


def orphaned_delivery(
    session: Session, key: str, now: datetime, patience: timedelta
) -> Doubt | None:
    """A claim without a result older than `patience` was cut off by a crash, or left in doubt
    (`doubt_delivery`). The one caller that gets its Doubt takes it over (its clock starts
    again), so two never retry it at once."""
    row = session.execute(
        select(Delivery.claimed_at, Delivery.doubted_at).where(Delivery.key == key)
    ).one_or_none()
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.key == key,
            Delivery.channel.is_(None),
            Delivery.ts.is_(None),
            Delivery.created_at < now - patience,
        )
        .values(created_at=now)
        .execution_options(synchronize_session=False)
    )
    if row is None or getattr(result, "rowcount", 0) != 1:
        return None
    return Doubt(since=row.claimed_at, known=row.doubted_at or now)


def doubt_delivery(session: Session, key: str, now: datetime, patience: timedelta) -> None:
    """Slack may have the message (its answer was lost): the claim stays, dated back so that
    the next try takes it over at once and looks for it first; nobody sends it as new."""
    session.execute(
        update(Delivery)
        .where(Delivery.key == key, Delivery.channel.is_(None), Delivery.ts.is_(None))
        .values(created_at=now - patience - timedelta(seconds=1), doubted_at=now)
        .execution_options(synchronize_session=False)
    )


def record_delivery(session: Session, key: str, channel: str, ts: str) -> None:
    record_deliveries(session, [(key, channel, ts)])


def record_deliveries(session: Session, sent: Sequence[tuple[str, str, str]]) -> None:
    """Record many messages as sent, in one statement: (key, channel, ts) each."""
    table = Delivery.__table__
    statement = (
        update(table)
        .where(table.c.key == bindparam("sent_key"))
        .values(channel=bindparam("sent_channel"), ts=bindparam("sent_ts"))
    )
    rows = [{"sent_key": k, "sent_channel": c, "sent_ts": t} for k, c, t in sent]
    session.execute(statement, rows)


def delivered(session: Session, key: str) -> tuple[str, str] | None:
    """Where the message sent under `key` went (channel and ts), if it was sent."""
    delivery = session.get(Delivery, key)
    if delivery is None or not delivery.channel or not delivery.ts:
        return None
    return delivery.channel, delivery.ts


def forget_keys_naming(session: Session, ids: Sequence[str]) -> None:
    """The record of messages sent under keys that name these people or workspaces (a DM's
    key ends in its reader's id): gone, so no row names them any more. Slack ids hold only
    letters and digits, so none reads as a LIKE pattern."""
    for named in ids:
        if named.isalnum():  # a whole part of the key, between its colons
            key = Delivery.key
            parts = (key.like(f"%:{named}"), key.like(f"%:{named}:%"), key.like(f"{named}:%"))
            session.execute(delete(Delivery).where(or_(*parts)))


def release_delivery(session: Session, key: str) -> None:
    delivery = session.get(Delivery, key)
    if delivery is not None:
        session.delete(delivery)


def answer_case_request(
    session: Session, meeting_id: int, user_id: str, answer: str, now: datetime
) -> None:
    response = session.get(MeetingResponse, (meeting_id, user_id))
    if response is None:
        response = MeetingResponse(meeting_id=meeting_id, user_id=user_id)
        session.add(response)
    response.answer = answer
    response.answered_at = now


def answers_for(session: Session, meeting_id: int) -> dict[str, str]:
    query = select(MeetingResponse).where(MeetingResponse.meeting_id == meeting_id)
    return {r.user_id: r.answer for r in session.scalars(query)}


def claim_case_choice(session: Session, meeting_id: int, user_id: str) -> bool:
    """Record who confirmed the meeting's cases; False if someone already did."""
    result = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.cases_chosen_by.is_(None))
        .values(cases_chosen_by=user_id)
    )
    return bool(result.rowcount)


def meeting_to_start(session: Session, group_id: int, now: datetime) -> Meeting | None:
    """The group's planned meeting that can start now: from a day ahead until it would end."""
    query = (
        select(Meeting)
        .where(
            Meeting.group_id == group_id,
            Meeting.status == SCHEDULED,
            Meeting.starts_at <= now + timedelta(days=1),
        )
        .order_by(Meeting.starts_at)
    )
    return next(
        (m for m in session.scalars(query) if m.starts_at + timedelta(minutes=m.minutes) > now),
        None,
    )


def claim_start(session: Session, meeting_id: int, user_id: str, now: datetime) -> bool:
    """Mark the meeting started; False if it was not planned or another request started it."""
    result = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, Meeting.status == SCHEDULED)
        .values(status=STARTED, started_by=user_id, started_at=now, updated_at=now)
    )
    return bool(result.rowcount)


def set_opening_ts(session: Session, meeting_id: int, ts: str) -> None:
    meeting = session.get(Meeting, meeting_id)
    if meeting is not None:
        meeting.opening_ts = ts
