"""What handlers and jobs need, handed to every listener through Bolt's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.batching import Coalescer, KeyedLocks
from bot.clock import Clock
from bot.config import Settings
from bot.markup import escape
from bot.people import Directory
from bot.scheduler import ReminderScheduler
from bot.slack import SlackGate, make_client
from bot.workspaces import WorkspaceTokens


@dataclass(frozen=True)
class Services:
    """Everything a handler or job needs, for one workspace: `client` speaks for the bot there
    and `team_id` names it. With many workspaces, `in_workspace` gives a workspace's services
    (the process-wide ones have no token of their own)."""

    settings: Settings
    db: sessionmaker[Session]
    client: WebClient
    clock: Clock
    directory: Directory
    scheduler: ReminderScheduler
    gate: SlackGate
    # Told when Slack refuses a message for good: (services, target channel or user, error).
    undeliverable: Callable[[Services, str, str], None]
    team_id: str = ""
    enterprise_id: str | None = None
    tokens: WorkspaceTokens | None = None  # many workspaces: where their tokens come from
    refreshing: KeyedLocks = field(default_factory=KeyedLocks)
    # Case timers that fire together, as (workspace, case run).
    due_runs: Coalescer[tuple[str, int]] = field(default_factory=Coalescer)

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
        client = make_client(self.settings, self.gate, token)
        return replace(
            self,
            team_id=team_id,
            enterprise_id=enterprise_id,
            client=client,
            directory=Directory(client, self.db, self.clock, team_id),
        )


class EscapingRespond(Respond):
    """Bolt's `respond`, with the notification text escaped like every Web API call's."""

    def __call__(self, text: str | dict[str, Any] = "", **kwargs: Any) -> WebhookResponse:
        if isinstance(text, dict) and isinstance(text.get("text"), str):
            text = {**text, "text": escape(text["text"])}
        return super().__call__(escape(text) if isinstance(text, str) else text, **kwargs)


def services_middleware(services: Services) -> Callable[[BoltContext, Callable[[], None]], None]:
    def provide_services(context: BoltContext, next: Callable[[], None]) -> None:
        # With many workspaces Bolt's authorize found the installation that acts for the
        # request (in a shared channel not always the clicker's own workspace); a request it
        # needs none for (the app uninstalled) gets a client without a token.
        acting = context.authorize_result
        context["services"] = services.speaking(
            (acting.team_id if acting else None) or context.team_id or "",
            acting.enterprise_id if acting else context.enterprise_id,
            context.bot_token,
        )
        respond = context.respond
        if respond is not None and respond.response_url is not None:
            context["respond"] = EscapingRespond(
                response_url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl
            )
        next()

    return provide_services


def services_of(context: BoltContext) -> Services:
    services: Services = context["services"]
    return services
