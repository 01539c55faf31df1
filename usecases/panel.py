"""The group's pinned panel of buttons (see rendering/group_panel.py): posted and pinned
once, then kept current: after the group or its meetings change, when a meeting comes within a
day, and when it ends. Groups from before the panel get it at the next start."""

from __future__ import annotations

import logging
from functools import partial

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.orm import Session

from rendering.group_panel import PanelFacts, group_panel
from storage.groups import get_group, groups_without_panel
from storage.meetings import get_meeting, meeting_to_start, upcoming_meetings
from storage.runs import running_meeting
from usecases.delivery import AGAIN_IN, TRIES, Outcome, send_once
from usecases.meetings import group_day, group_translator, meeting_facts
from usecases.sending import retry_after
from usecases.services import Services

logger = logging.getLogger(__name__)
GONE = frozenset({"message_not_found", "cant_update_message"})


def refresh_panel(services: Services, group_id: int, tries: int = TRIES) -> None:
    """Show the group's panel as it is now: update the pinned one, or post and pin it when the
    group has none yet or someone deleted it. Never raises: the panel is a convenience. What
    Slack did not take now (over its rate limit, or a passing failure) is shown again shortly,
    in the updates' lane, a few times."""
    wait: float | None = None
    try:
        if not _refresh(services, group_id, tries):
            wait = AGAIN_IN  # its first post failed; send_once said why
    except SlackApiError as error:
        wait = retry_after(error)
        if wait is None:
            logger.exception(
                "could not show the panel of group %s", group_id, extra={"group": group_id}
            )
    except OSError:
        logger.exception(
            "could not show the panel of group %s", group_id, extra={"group": group_id}
        )
    if wait is None:
        return
    if tries <= 1:
        logger.warning(
            "gave up showing the panel of group %s for now", group_id, extra={"group": group_id}
        )
        return
    services.updates.after(
        f"panel:{group_id}", wait, partial(refresh_panel, services, group_id, tries - 1)
    )


def _refresh(services: Services, group_id: int, tries: int) -> bool:
    """False when the panel was to be posted and Slack did not take it."""
    now = services.clock()
    with services.db() as session:
        group = get_group(session, group_id)
        if (
            group is None
            or group.team_id != services.team_id
            or group.paused_at is not None
            or group.welcome_ts is None  # the bot was never in the channel to post it
        ):
            return True
        upcoming = upcoming_meetings(session, group.id, now)
        startable = meeting_to_start(session, group.id, now)
        running = running_meeting(session, group.id, now)
        facts = PanelFacts(
            group_id=group.id,
            group_name=group.name,
            next_meeting=meeting_facts(startable or upcoming[0]) if startable or upcoming else None,
            startable=startable is not None,
            running_meeting_id=running.id if running else None,
            runs_itself_since=group_day(group, group.runs_itself_since),
        )
        message = group_panel(group_translator(group), facts)
        channel_id, panel_ts = group.channel_id, group.panel_ts
    if panel_ts is not None:
        try:
            services.client.chat_update(channel=channel_id, ts=panel_ts, **message)
            return True
        except SlackApiError as error:
            if error.response.get("error") not in GONE:
                raise
            logger.info(
                "the panel of group %s was deleted; posting it again",
                group_id,
                extra={"group": group_id},
            )

    def post() -> SlackResponse:
        return services.client.chat_postMessage(channel=channel_id, **message)

    def remember(session: Session, posted: SlackResponse) -> None:
        group = get_group(session, group_id)
        if group is not None:
            group.panel_ts = str(posted["ts"])

    key = f"panel:{group_id}:{panel_ts or 'first'}"
    outcome = send_once(services, key, post, remember)
    if outcome is Outcome.SENT:
        with services.db() as session:
            group = get_group(session, group_id)
            pinned = group.panel_ts if group is not None else None
        if pinned is not None:
            _pin(services, group_id, channel_id, pinned, tries)
    return outcome is not Outcome.RETRY


def _pin(services: Services, group_id: int, channel_id: str, ts: str, tries: int) -> None:
    """Pin the panel just posted; over Slack's rate limit (pins are tier 2), a little later."""
    try:
        services.client.pins_add(channel=channel_id, timestamp=ts)
    except SlackApiError as error:
        wait = retry_after(error)
        if wait is None or tries <= 1:
            logger.warning(
                "could not pin the panel of group %s", group_id, extra={"group": group_id}
            )
            return
        again = partial(_pin, services, group_id, channel_id, ts, tries - 1)
        services.updates.after(f"pin:{group_id}", wait, again)


def refresh_panel_of_meeting(services: Services, meeting_id: int) -> None:
    """The meeting was planned, moved, cancelled, came within a day, started or ended."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        group_id = meeting.group_id if meeting is not None else None
    if group_id is not None:
        refresh_panel(services, group_id)


def post_missing_panels(services: Services) -> None:
    """Give every group without a panel its panel (groups set up before there was one), each
    through the workspace that acts for it."""
    with services.db() as session:
        missing = groups_without_panel(session)
    for team_id, group_id in missing:
        workspace = services.in_workspace(team_id)
        if workspace is not None:
            refresh_panel(workspace, group_id)
