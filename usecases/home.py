"""The App Home: a member's groups and next meetings, their cases and their open goals."""

from __future__ import annotations

import logging
from dataclasses import replace

from slack_sdk.errors import SlackApiError

from rendering.home_view import GroupLine, home_view
from rendering.i18n import Translator
from storage.cases import DISCUSSED, OPEN_STATUSES
from storage.groups import groups_of
from storage.meetings import upcoming_meetings
from storage.runs import running_meeting
from usecases.cases import my_cases
from usecases.coaching import coach_lines
from usecases.followup import goals_of
from usecases.meetings import meeting_facts
from usecases.services import Services

logger = logging.getLogger(__name__)


def publish_home(services: Services, user_id: str, tr: Translator | None = None) -> None:
    """Refresh the App Home; called when it is opened and after the member's own changes
    (`tr`: in the language already known, without looking the person up again)."""
    tr = tr or services.directory.translator(user_id)
    now = services.clock()
    with services.db() as session:
        groups = []
        for group in groups_of(session, services.team_id, user_id):
            upcoming = upcoming_meetings(session, group.id, now)
            running = running_meeting(session, group.id, now)
            line = GroupLine(
                group.id,
                group.name,
                group.channel_id,
                meeting_facts(upcoming[0]) if upcoming else None,
                running=running is not None,
            )
            thread = running.opening_ts if running else None
            groups.append((line, thread))
        goals = [g for g in goals_of(session, user_id) if g.status in ("asked", "open")]
        coached = coach_lines(session, services.team_id, user_id)
    lines = [
        replace(line, thread_link=_permalink(services, line.channel_id, thread)) if thread else line
        for line, thread in groups
    ]
    cases = my_cases(services, user_id, tr, (*OPEN_STATUSES, DISCUSSED))
    services.client.views_publish(user_id=user_id, view=home_view(tr, lines, cases, goals, coached))


def _permalink(services: Services, channel_id: str, ts: str) -> str | None:
    """Where a message is, as Slack links it; None when Slack cannot say."""
    try:
        return str(
            services.client.chat_getPermalink(channel=channel_id, message_ts=ts)["permalink"]
        )
    except (SlackApiError, OSError, KeyError):
        logger.warning("no link to message %s in channel %s", ts, channel_id)
        return None
