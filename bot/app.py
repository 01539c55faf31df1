"""The app factory: builds a Bolt app for the given settings, never at import time."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_bolt.error import BoltError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import undeliverable
from bot.clock import Clock, utc_now
from bot.config import ConfigError, Settings
from bot.live import run_moments
from bot.people import Directory
from bot.scheduler import ReminderScheduler
from bot.services import Services, services_middleware
from bot.slack import SlackGate, make_client
from handlers import actions, commands, events, shortcuts, views
from handlers.middleware import skip_handled_events

logger = logging.getLogger(__name__)


def create_services(
    settings: Settings,
    db: sessionmaker[Session],
    clock: Clock = utc_now,
) -> Services:
    gate = SlackGate()
    client = make_client(settings, gate)
    services = Services(
        settings=settings,
        db=db,
        client=client,
        clock=clock,
        directory=Directory(client, db, clock),
        scheduler=ReminderScheduler(
            db,
            clock,
            gate,
            lease_ttl=timedelta(seconds=settings.scheduler_lease_seconds),
        ),
        gate=gate,
        undeliverable=lambda target, error: undeliverable(services, target, error),
    )
    services.scheduler.watch_runs(lambda: run_moments(services))
    return services


def create_app(services: Services) -> App:
    """Build the Bolt app; the bot token is checked with `auth.test` against SLACK_API_URL."""
    settings = services.settings
    try:
        app = App(
            client=services.client,
            signing_secret=settings.signing_secret or "",
            request_verification_enabled=not settings.socket_mode,
        )
    except BoltError as exc:
        raise ConfigError(
            "Slack did not accept SLACK_BOT_TOKEN: copy the current Bot User OAuth Token "
            "(xoxb-...) from your Slack app's 'OAuth & Permissions' page into .env."
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"Could not reach the Slack Web API at {settings.slack_api_url}: check your network, "
            "or SLACK_API_URL in your environment or .env."
        ) from exc
    app.use(services_middleware(services))
    app.use(skip_handled_events)
    app.error(_log_listener_error)
    for listeners in (commands, actions, views, events, shortcuts):
        listeners.register(app)
    return app


def _log_listener_error(error: Exception, body: dict[str, Any]) -> None:
    """Log ids only: payloads may hold confidential case content."""
    user = body.get("user")
    logger.error(
        "listener failed: %s (kind=%s user=%s)",
        type(error).__name__,
        body.get("type") or body.get("command"),
        body.get("user_id") or (user.get("id") if isinstance(user, dict) else None),
        exc_info=error,
    )
