"""Repository for whether Slack still lets the bot act in its workspace."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import RowMapping, delete, select, update
from sqlalchemy.orm import Session

from storage.models import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES, Installation

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


# -- many workspaces: Slack's installations (the tables of slack_sdk's SQLAlchemy stores) ----


def latest_bot(session: Session, client_id: str, team_id: str) -> RowMapping | None:
    """The workspace's newest bot installation (its token decrypted), or None."""
    bots = SLACK_BOTS.c
    query = (
        select(SLACK_BOTS)
        .where(bots.client_id == client_id, bots.team_id == team_id)
        .order_by(bots.installed_at.desc(), bots.id.desc())
        .limit(1)
    )
    return session.execute(query).mappings().one_or_none()


def lock_bot(session: Session, client_id: str, team_id: str) -> None:
    """Hold the workspace's installation rows until the transaction ends (a row lock on
    PostgreSQL, the write lock on SQLite): one refresh of its token at a time, everywhere."""
    bots = SLACK_BOTS.c
    session.execute(
        update(SLACK_BOTS)
        .where(bots.client_id == client_id, bots.team_id == team_id)
        .values(team_id=bots.team_id)
    )


def store_rotated_token(
    session: Session,
    row_id: int,
    client_id: str,
    team_id: str,
    token: str,
    refresh_token: str | None,
    expires_at: datetime,
) -> None:
    """Keep the new tokens of a refresh (the old refresh token no longer works)."""
    values = {
        "bot_token": token,
        "bot_refresh_token": refresh_token,
        "bot_token_expires_at": expires_at.astimezone(UTC).replace(tzinfo=None),
    }
    session.execute(update(SLACK_BOTS).where(SLACK_BOTS.c.id == row_id).values(values))
    installations = SLACK_INSTALLATIONS.c
    session.execute(
        update(SLACK_INSTALLATIONS)
        .where(installations.client_id == client_id, installations.team_id == team_id)
        .values(values)
    )


def delete_installations(session: Session, team_id: str) -> None:
    """Forget the workspace's tokens (every installation of it)."""
    session.execute(delete(SLACK_BOTS).where(SLACK_BOTS.c.team_id == team_id))
    session.execute(delete(SLACK_INSTALLATIONS).where(SLACK_INSTALLATIONS.c.team_id == team_id))


def purge_oauth_states(session: Session, now: datetime) -> int:
    """Delete the one-time OAuth states that expired unused. How many went."""
    naive = now.astimezone(UTC).replace(tzinfo=None)  # slack_sdk stores naive UTC
    gone = session.execute(delete(SLACK_OAUTH_STATES).where(SLACK_OAUTH_STATES.c.expire_at < naive))
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def installed_app_id(session: Session) -> str | None:
    """The app's id as Slack named it when workspaces installed it; None before any install
    (or if installations name different apps, which only a shared database would show)."""
    query = select(SLACK_BOTS.c.app_id).where(SLACK_BOTS.c.app_id.is_not(None)).distinct()
    found = list(session.scalars(query.limit(2)))
    return str(found[0]) if len(found) == 1 else None
