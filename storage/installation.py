"""Repository for whether Slack still lets the bot act in its workspace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import Installation

WORKSPACE = "workspace"


def is_revoked(session: Session) -> bool:
    row = session.get(Installation, WORKSPACE)
    return row is not None and row.revoked_at is not None


def revoke(session: Session, reason: str, now: datetime) -> bool:
    """Record that the app was uninstalled or its bot token revoked. False if already so."""
    row = session.get(Installation, WORKSPACE)
    if row is None:
        row = Installation(name=WORKSPACE)
        session.add(row)
    elif row.revoked_at is not None:
        return False
    row.revoked_at = now
    row.reason = reason
    session.flush()
    return True


def reinstate(session: Session) -> bool:
    """The bot's token works again (the app was reinstalled). False if it was never revoked."""
    row = session.get(Installation, WORKSPACE)
    if row is None or row.revoked_at is None:
        return False
    row.revoked_at = None
    row.reason = None
    session.flush()
    return True
