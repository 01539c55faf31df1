"""The retention job: discussed cases lose their content a group-set time after their meeting."""

from __future__ import annotations

import logging

from bot.services import Services
from storage.privacy import purge_expired_content

logger = logging.getLogger(__name__)


def purge_expired(services: Services) -> int:
    with services.db.begin() as session:
        purged = purge_expired_content(session, services.clock())
    if purged:
        logger.info("retention: deleted the content of %s discussed case(s)", purged)
    return purged
