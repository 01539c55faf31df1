"""The App Home: a member's groups and next meetings, their cases and their open goals."""

from __future__ import annotations

from bot.cases import my_cases
from bot.followup import goals_of
from bot.meetings import meeting_facts
from bot.services import Services
from handlers.blocks.home_view import GroupLine, home_view
from storage.cases import DISCUSSED, OPEN_STATUSES
from storage.groups import groups_of
from storage.meetings import upcoming_meetings


def publish_home(services: Services, user_id: str) -> None:
    """Refresh the App Home; called when it is opened and after the member's own changes."""
    tr = services.directory.translator(user_id)
    now = services.clock()
    with services.db() as session:
        groups = []
        for group in groups_of(session, services.team_id, user_id):
            upcoming = upcoming_meetings(session, group.id, now)
            groups.append(
                GroupLine(
                    group.id,
                    group.name,
                    group.channel_id,
                    meeting_facts(upcoming[0]) if upcoming else None,
                )
            )
        goals = [g for g in goals_of(session, user_id) if g.status in ("asked", "open")]
    cases = my_cases(services, user_id, tr, (*OPEN_STATUSES, DISCUSSED))
    services.client.views_publish(user_id=user_id, view=home_view(tr, groups, cases, goals))
