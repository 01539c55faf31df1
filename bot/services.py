"""What handlers and jobs need, handed to every listener through Bolt's context."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.batching import Coalescer
from bot.clock import Clock
from bot.config import Settings
from bot.markup import escape
from bot.people import Directory
from bot.scheduler import ReminderScheduler
from bot.slack import SlackGate


class KeyedLocks:
    """One lock per key: a message that several clicks refresh at once is read and updated by
    one of them at a time, so the update that comes last shows the latest state."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: sessionmaker[Session]
    client: WebClient
    clock: Clock
    directory: Directory
    scheduler: ReminderScheduler
    gate: SlackGate
    # Told when Slack refuses a message for good: (target channel or user, error code).
    undeliverable: Callable[[str, str], None]
    refreshing: KeyedLocks = field(default_factory=KeyedLocks)
    due_runs: Coalescer = field(default_factory=Coalescer)  # case timers that fire together


class EscapingRespond(Respond):
    """Bolt's `respond`, with the notification text escaped like every Web API call's."""

    def __call__(self, text: str | dict[str, Any] = "", **kwargs: Any) -> WebhookResponse:
        if isinstance(text, dict) and isinstance(text.get("text"), str):
            text = {**text, "text": escape(text["text"])}
        return super().__call__(escape(text) if isinstance(text, str) else text, **kwargs)


def services_middleware(services: Services) -> Callable[[BoltContext, Callable[[], None]], None]:
    def provide_services(context: BoltContext, next: Callable[[], None]) -> None:
        context["services"] = services
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
