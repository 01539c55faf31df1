"""The retention job: discussed cases lose their content a group-set time after their meeting,
and handled event ids are forgotten."""

from __future__ import annotations

import logging
from datetime import timedelta

from storage.events import forget_events_before
from storage.installation import purge_oauth_states
from storage.privacy import purge_expired_content
from usecases.services import Services

EVENT_MEMORY = timedelta(days=1)

logger = logging.getLogger(__name__)


def purge_expired(services: Services) -> int:
    """Also forgets handled Events API ids after a day (Slack retries within minutes), and
    the one-time states of "Add to Slack" clicks that were never completed."""
    now = services.clock()
    with services.db.begin() as session:
        purged = purge_expired_content(session, now)
        forget_events_before(session, now - EVENT_MEMORY)
        states = purge_oauth_states(session, now)
    if purged:
        logger.info("retention: deleted the content of %s discussed case(s)", purged)
    if states:
        logger.info("deleted %s unused 'Add to Slack' state(s) that expired", states)
    return purged
