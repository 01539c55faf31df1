"""The app uninstalled or its bot token revoked: stop every job and every call to Slack."""

from __future__ import annotations

import logging

from bot.services import Services
from storage.installation import reinstate, revoke

logger = logging.getLogger(__name__)


def revoked(services: Services, reason: str) -> None:
    services.gate.close()
    with services.db.begin() as session:
        newly = revoke(session, reason, services.clock())
    if newly:
        logger.warning("Slack access ended (%s): all jobs stopped, no more calls to Slack", reason)
    services.scheduler.sync()


def token_accepted(services: Services) -> None:
    """At start Slack accepted the bot token: if access had ended, the app was reinstalled."""
    with services.db.begin() as session:
        again = reinstate(session)
    if again:
        logger.info("the app was reinstalled: jobs and calls to Slack resume")
