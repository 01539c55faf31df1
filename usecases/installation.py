"""The app uninstalled or its bot token revoked, and the app (re)installed.

With one workspace the bot stops every job and every call to Slack, and keeps what it stored.
With many, the workspace's installation and everything stored for it are deleted; the other
workspaces notice nothing.
"""

from __future__ import annotations

import logging

from storage.db import wipe_history
from storage.groups import adopt_rows, forget_workspace
from storage.installation import delete_installations, reinstate, revoke
from usecases.services import Services

logger = logging.getLogger(__name__)


def revoked(services: Services, reason: str) -> None:
    services.measures.uninstalled()
    if services.tokens is not None:
        workspace_left(services, reason)
        return
    services.gate.close()
    with services.db.begin() as session:
        newly = revoke(session, reason, services.clock())
    if newly:
        logger.warning("Slack access ended (%s): all jobs stopped, no more calls to Slack", reason)
    services.scheduler.sync()


def workspace_left(services: Services, reason: str) -> None:
    """One of many workspaces removed the app (or revoked its token): forget it entirely."""
    team_id = services.team_id
    if not team_id:  # Slack always names the workspace; nothing to forget without it
        return
    with services.db.begin() as session:
        groups = forget_workspace(session, team_id)
        delete_installations(session, team_id)
    wipe_history(services.db)
    if services.tokens is not None:
        services.tokens.forget(team_id)
    services.scheduler.sync()
    logger.warning(
        "workspace %s ended the app's access (%s): its tokens and %s group(s) were deleted",
        team_id,
        reason,
        groups,
    )


def token_accepted(services: Services) -> None:
    """At start Slack accepted the one workspace's bot token: if access had ended, the app was
    reinstalled. Groups and people from before many workspaces become the workspace's."""
    with services.db.begin() as session:
        again = reinstate(session)
        adopted = adopt_rows(session, services.team_id)
    if again:
        logger.info("the app was reinstalled: jobs and calls to Slack resume")
    if adopted:
        logger.info("%s group(s) now belong to workspace %s", adopted, services.team_id)
