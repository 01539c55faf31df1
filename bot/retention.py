"""The retention job: discussed cases lose their content a group-set time after their meeting,
and handled event ids are forgotten."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.services import Services
from storage.events import forget_events_before
from storage.privacy import purge_expired_content

EVENT_MEMORY = timedelta(days=1)

logger = logging.getLogger(__name__)


def purge_expired(services: Services) -> int:
    """Also forgets handled Events API ids after a day (Slack retries within minutes)."""
    now = services.clock()
    with services.db.begin() as session:
        purged = purge_expired_content(session, now)
        forget_events_before(session, now - EVENT_MEMORY)
    if purged:
        logger.info("retention: deleted the content of %s discussed case(s)", purged)
    return purged
