"""The scheduler lease: at most one process runs the reminder scheduler on a database."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import SchedulerLease, SchedulerSignal


def acquire_lease(session: Session, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease; False while another holder's lease has not expired.
    Two processes racing for a lease nobody held: one of them gets an IntegrityError."""
    taken = session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == name,
            (SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now),
        )
        .values(holder=holder, expires_at=now + ttl)
    )
    if taken.rowcount:
        return True
    if session.get(SchedulerLease, name) is not None:
        return False
    session.add(SchedulerLease(name=name, holder=holder, expires_at=now + ttl))
    session.flush()
    return True


def release_lease(session: Session, name: str, holder: str) -> None:
    session.execute(
        delete(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder)
    )


CHANGES = "changes"


def signal_change(session: Session, now: datetime) -> None:
    """Tell the process that runs the scheduler that timers changed. Safe when several
    processes signal at once: the first creates the row, the others update it."""
    touch = update(SchedulerSignal).where(SchedulerSignal.name == CHANGES).values(changed_at=now)
    if getattr(session.execute(touch), "rowcount", 0):
        return
    try:
        with session.begin_nested():
            session.add(SchedulerSignal(name=CHANGES, changed_at=now))
    except IntegrityError:
        session.execute(touch)


def last_change(session: Session) -> datetime | None:
    signal = session.get(SchedulerSignal, CHANGES)
    return signal.changed_at if signal else None
