"""What handlers and jobs need, handed to every listener through Bolt's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.people import Directory
from bot.scheduler import ReminderScheduler
from bot.slack import SlackGate


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


def services_middleware(services: Services) -> Callable[[BoltContext, Callable[[], None]], None]:
    def provide_services(context: BoltContext, next: Callable[[], None]) -> None:
        context["services"] = services
        next()

    return provide_services


def services_of(context: BoltContext) -> Services:
    services: Services = context["services"]
    return services
