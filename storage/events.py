"""Repository for Events API deliveries already handled (Slack retries those it thinks failed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent


def remember_event(session: Session, event_id: str, now: datetime) -> bool:
    """Claim the event; False (no row written) when it was handled before."""
    if session.get(ProcessedEvent, event_id) is not None:
        return False
    session.add(ProcessedEvent(event_id=event_id, received_at=now))
    session.flush()
    return True


def forget_events_before(session: Session, moment: datetime) -> None:
    session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < moment))
