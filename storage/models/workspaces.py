"""The app in its workspaces: the single installation's state, processed events, the key
check, and the tables of slack_sdk's stores for many workspaces (tokens encrypted)."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedText
from storage.models.base import Base
from storage.types import UTCDateTime


class EncryptionCheck(Base):
    """A token of a known text, to prove at start that ENCRYPTION_KEY reads this database."""

    __tablename__ = "encryption_check"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(Text)


class Installation(Base):
    """Whether Slack still lets the bot act in its workspace (uninstalled or tokens revoked)."""

    __tablename__ = "installation"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(32))


class ProcessedEvent(Base):
    """An Events API delivery, or a modal submission, handled once: Slack's retries and double
    clicks on Submit are acknowledged and skipped."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# Slack's installations and one-time OAuth states when many workspaces install the app: the
# tables of slack_sdk's SQLAlchemy stores, in this metadata so that Alembic creates them. The
# tokens are encrypted like case content.
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def _encrypt_tokens(table: Table) -> Table:
    for name in TOKEN_COLUMNS:
        if name in table.c:
            table.c[name].type = EncryptedText()
    return table


SLACK_INSTALLATIONS = _encrypt_tokens(
    SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations")
)


SLACK_BOTS = _encrypt_tokens(
    SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
)


SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, "slack_oauth_states"
)
