"""Many workspaces: each workspace's bot token, from slack_sdk's SQLAlchemy installation store
on the bot's own database, cached and refreshed before it expires.

A request and a job both ask `WorkspaceTokens.grant(team_id)`: the answer is cached for a
minute (no database read and no `auth.test` per request). A token that expires within two hours
is refreshed first, under a lock on the workspace's installation rows, because a refresh token
works only once: a second process that refreshed with it at the same moment would lock the
workspace out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize
from slack_bolt.context import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, RowMapping
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.metrics import Metrics
from storage.groups import home_of_channel, homes_of_member
from storage.installation import latest_bot, lock_bot, store_rotated_token
from storage.models import SLACK_BOTS, SLACK_INSTALLATIONS, SLACK_OAUTH_STATES, Base
from usecases.batching import KeyedLocks

logger = logging.getLogger(__name__)

ROTATE_BEFORE = timedelta(hours=2)
CACHE_SECONDS = 60.0
STATE_SECONDS = 600  # how long an "Add to Slack" click may take


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store on the tables our migrations create, with the tokens encrypted."""

    def __init__(self, client_id: str, engine: Engine) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=logger)
        self.metadata = Base.metadata
        self.bots = SLACK_BOTS
        self.installations = SLACK_INSTALLATIONS


class StateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's one-time OAuth states on the table our migrations create."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(expiration_seconds=STATE_SECONDS, engine=engine, logger=logger)
        self.metadata = Base.metadata
        self.oauth_states = SLACK_OAUTH_STATES


@dataclass(frozen=True)
class Grant:
    """What the bot may use in one workspace."""

    team_id: str
    enterprise_id: str | None
    bot_token: str
    bot_id: str
    bot_user_id: str
    scopes: tuple[str, ...]
    expires_at: datetime | None

    def expiring(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at - now <= ROTATE_BEFORE


def _grant(row: Mapping[str, Any]) -> Grant:
    expires = row["bot_token_expires_at"]
    return Grant(
        team_id=row["team_id"],
        enterprise_id=row["enterprise_id"],
        bot_token=row["bot_token"],
        bot_id=row["bot_id"],
        bot_user_id=row["bot_user_id"],
        scopes=tuple(s for s in (row["bot_scopes"] or "").split(",") if s),
        expires_at=None if expires is None else expires.replace(tzinfo=UTC),
    )


class WorkspaceTokens:
    def __init__(
        self, settings: Settings, db: sessionmaker[Session], metrics: Metrics | None = None
    ) -> None:
        if settings.client_id is None or settings.client_secret is None:
            raise ValueError("many workspaces need SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
        self._client_id = settings.client_id
        self._db = db
        self._rotator = TokenRotator(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            client=WebClient(base_url=settings.slack_api_url, timeout=15),
        )
        self._cache: dict[str, tuple[float, Grant]] = {}
        self._locks = KeyedLocks()
        self._refreshes = (metrics or Metrics()).token_refreshes

    def grant(self, team_id: str) -> Grant | None:
        """The workspace's current token, or None when the app is not installed there (or
        Slack would not refresh its token)."""
        cached = self._fresh(team_id)
        if cached is not None:
            return cached
        with self._locks(team_id):
            cached = self._fresh(team_id)
            if cached is not None:
                return cached
            grant = self._load(team_id)
            if grant is None:
                self._cache.pop(team_id, None)
            else:
                self._cache[team_id] = (time.monotonic(), grant)
            return grant

    def forget(self, team_id: str) -> None:
        self._cache.pop(team_id, None)

    def _fresh(self, team_id: str) -> Grant | None:
        found = self._cache.get(team_id)
        if found is None or time.monotonic() - found[0] > CACHE_SECONDS:
            return None
        return None if found[1].expiring(datetime.now(UTC)) else found[1]

    def _load(self, team_id: str) -> Grant | None:
        with self._db.begin() as session:
            row = latest_bot(session, self._client_id, team_id)
            if row is None or not _grant(row).expiring(datetime.now(UTC)):
                return None if row is None else _grant(row)
            lock_bot(session, self._client_id, team_id)
            row = latest_bot(session, self._client_id, team_id)  # another may have refreshed
            if row is None:
                return None
            if _grant(row).expiring(datetime.now(UTC)):
                return self._refresh(session, row)
            return _grant(row)

    def _refresh(self, session: Session, row: RowMapping) -> Grant | None:
        bot = Bot(**{k: row[k] for k in _BOT_FIELDS}, installed_at=row["installed_at"])
        try:
            fresh = self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=int(ROTATE_BEFORE.total_seconds() // 60)
            )
        except SlackTokenRotationError as error:
            self._refreshes.labels("failed").inc()
            logger.warning(
                "Slack refused to refresh the bot token of workspace %s (%s)",
                row["team_id"],
                _slack_error(error),
                extra={"team": row["team_id"]},
            )
            return None
        if fresh is None or fresh.bot_token_expires_at is None:
            return _grant(row)
        expires = datetime.fromtimestamp(fresh.bot_token_expires_at, UTC)
        store_rotated_token(
            session,
            row["id"],
            self._client_id,
            row["team_id"],
            fresh.bot_token,
            fresh.bot_refresh_token,
            expires,
        )
        self._refreshes.labels("ok").inc()
        logger.info(
            "refreshed the bot token of workspace %s",
            row["team_id"],
            extra={"team": row["team_id"]},
        )
        return _grant({**row, "bot_token": fresh.bot_token, "bot_token_expires_at": expires})


_BOT_FIELDS = (
    "app_id",
    "enterprise_id",
    "enterprise_name",
    "team_id",
    "team_name",
    "bot_token",
    "bot_id",
    "bot_user_id",
    "bot_scopes",
    "bot_refresh_token",
    "bot_token_expires_at",
    "is_enterprise_install",
)


def _slack_error(error: SlackTokenRotationError) -> str:
    api_error = error.api_error
    return str(api_error.response.get("error")) if api_error is not None else "no answer"


class WorkspaceAuthorize(Authorize):
    """Bolt's authorize for many workspaces: the cached, fresh token of the installation that
    acts for the request.

    In a channel shared between organisations that is the installation of the workspace that
    set the channel's group up, whoever clicked or typed: one group is one group, however many
    of its members' workspaces installed the app. Elsewhere it is the request's own workspace;
    a member whose workspace did not install the app (they can click buttons, not use the
    slash command) is served by the installation of a group they belong to."""

    def __init__(self, tokens: WorkspaceTokens, db: sessionmaker[Session]) -> None:
        super().__init__()
        self._tokens = tokens
        self._db = db

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        for team in self._acting_teams(context.channel_id, team_id, user_id):
            grant = self._tokens.grant(team)
            if grant is not None:
                return AuthorizeResult(
                    enterprise_id=grant.enterprise_id,
                    team_id=grant.team_id,
                    bot_user_id=grant.bot_user_id,
                    bot_id=grant.bot_id,
                    bot_token=grant.bot_token,
                    bot_scopes=list(grant.scopes),
                    user_id=user_id,
                )
        return None

    def _acting_teams(
        self, channel_id: str | None, team_id: str | None, user_id: str | None
    ) -> Iterator[str]:
        """The candidates, best first; each asked only when the one before is not installed."""
        if channel_id:
            with self._db() as session:
                home = home_of_channel(session, channel_id)
            if home:
                yield home
        if team_id:
            yield team_id
        if user_id:
            with self._db() as session:
                homes = homes_of_member(session, user_id)
            yield from homes
