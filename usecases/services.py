"""What the use cases are given to reach the world outside them: the database, a Slack client
speaking for one workspace, the clock, the directory of people, and small interfaces for what
the process provides (the timers, the metrics, the gate Slack closes when the app is removed, the
workspaces' tokens, a few settings). `bot/` builds the real ones; tests may build their own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from usecases.batching import Coalescer, Fanout, KeyedLocks, Updates
from usecases.clock import Clock
from usecases.people import Directory


@dataclass(frozen=True)
class Timer:
    """When a job runs, and for which workspace."""

    team_id: str
    at: datetime


class Timers(Protocol):
    """The process's timers, kept in step with the database (the source of truth)."""

    def sync(self) -> None:
        """The meetings' reminders changed: set the timers from the database again."""

    def sync_run(self, run_id: int, timer: Timer | None) -> None:
        """A case's next moment changed (None: it has none)."""


class Gate(Protocol):
    """Open while Slack lets the app act in the workspace."""

    @property
    def closed(self) -> bool: ...

    def close(self) -> None: ...


class Grant(Protocol):
    @property
    def enterprise_id(self) -> str | None: ...

    @property
    def bot_token(self) -> str: ...


class Tokens(Protocol):
    """Where the tokens of many workspaces come from."""

    def grant(self, team_id: str) -> Grant | None: ...

    def forget(self, team_id: str) -> None: ...


class Measures(Protocol):
    """What the host's metrics count of the use cases' work (no content, no ids)."""

    def prompt_sent(self, late: float) -> None:
        """A case's timed prompt reached Slack `late` seconds after its moment."""

    def double_avoided(self) -> None:
        """A message was not sent again: Slack had it already."""

    def uninstalled(self) -> None:
        """A workspace removed the app or revoked its token."""


class Config(Protocol):
    """The settings a use case reads."""

    @property
    def time_scale(self) -> float: ...

    @property
    def public_url(self) -> str | None: ...


@dataclass(frozen=True)
class Services:
    """Everything a use case needs, for one workspace: `client` speaks for the bot there and
    `team_id` names it. With many workspaces, `in_workspace` gives a workspace's services
    (the process-wide ones have no token of their own)."""

    settings: Config
    db: sessionmaker[Session]
    client: WebClient
    clock: Clock
    directory: Directory
    scheduler: Timers
    gate: Gate
    # Told when Slack refuses a message for good: (services, target channel or user, error).
    undeliverable: Callable[[Services, str, str], None]
    # A client that speaks in a workspace with its token (None: no token).
    connect: Callable[[str, str | None], WebClient]
    measures: Measures
    team_id: str = ""
    enterprise_id: str | None = None
    tokens: Tokens | None = None  # many workspaces: where their tokens come from
    refreshing: KeyedLocks = field(default_factory=KeyedLocks)
    # Case timers that fire together, as (workspace, case run).
    due_runs: Coalescer[tuple[str, int]] = field(default_factory=Coalescer)
    # Each case's sends side by side with the others', and the cosmetic updates after them.
    fanout: Fanout = field(default_factory=Fanout)
    updates: Updates = field(default_factory=Updates)

    def in_workspace(self, team_id: str) -> Services | None:
        """The services of workspace `team_id` with its installed token (for a job); None
        when the app is not installed there. With one workspace, these."""
        if self.tokens is None:
            return self
        grant = self.tokens.grant(team_id)
        if grant is None:
            return None
        return self.speaking(team_id, grant.enterprise_id, grant.bot_token)

    def speaking(self, team_id: str, enterprise_id: str | None, token: str | None) -> Services:
        """The services of workspace `team_id`, speaking with `token` (from Bolt's authorize;
        None for a request that needs none). With one workspace, these."""
        if self.tokens is None:
            return self
        client = self.connect(team_id, token)
        return replace(
            self,
            team_id=team_id,
            enterprise_id=enterprise_id,
            client=client,
            directory=Directory(client, self.db, self.clock, team_id),
        )
