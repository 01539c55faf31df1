"""When Slack will not deliver: a member who cannot get DMs, or a group channel that is gone.

A DM that cannot be delivered gets a content-free note in the person's group channels. A group
channel that is archived, or that the bot was removed from, pauses the group's timers and tells
its members by DM; unarchiving the channel or inviting the bot back resumes them.
"""

from __future__ import annotations

import logging

from rendering.channel_messages import (
    channel_back_message,
    channel_lost_message,
    unreachable_note,
)
from rendering.markup import join, mention
from storage.groups import (
    get_group,
    group_in_channel,
    groups_of,
    move_channel,
    pause_group,
    remove_members,
    resume_group,
)
from usecases.delivery import post_once_soon, send_dms, to_each
from usecases.groups import publish_welcome
from usecases.live.state import pause_runs_of_group
from usecases.meetings import group_translator
from usecases.panel import refresh_panel
from usecases.services import Services

logger = logging.getLogger(__name__)
CHANNEL_GONE = frozenset({"is_archived", "not_in_channel", "channel_not_found"})
DM_UNREACHABLE = frozenset({"cannot_dm_bot", "user_not_found", "account_inactive", "user_disabled"})


def undeliverable(services: Services, target: str, error: str) -> None:
    """Slack refused a message to `target` (a channel or a user id) for good."""
    if error in CHANNEL_GONE:
        channel_lost(services, target, error)
    elif error in DM_UNREACHABLE and target.startswith(("U", "W")):
        member_unreachable(services, target, error)


def member_unreachable(services: Services, user_id: str, error: str) -> None:
    today = services.clock().date().isoformat()
    with services.db() as session:
        channels = [
            (g.id, g.channel_id, group_translator(g))
            for g in groups_of(session, services.team_id, user_id)
            if g.paused_at is None
        ]
    logger.warning("could not DM %s (%s); telling their group channel(s)", user_id, error)
    for group_id, channel, tr in channels:
        post_once_soon(
            services,
            f"unreachable:{group_id}:{user_id}:{today}",
            channel,
            unreachable_note(tr, user_id),
        )


def channel_lost(services: Services, channel_id: str, reason: str) -> None:
    now = services.clock()
    with services.db.begin() as session:
        group = group_in_channel(session, services.team_id, channel_id)
        if group is None or not pause_group(session, group, reason, now):
            return
        runs = pause_runs_of_group(session, group.id, now)
        group_id, members, language = group.id, group.member_ids, group.language
    logger.warning(
        "group %s paused: channel %s %s (paused cases: %s)", group_id, channel_id, reason, runs
    )
    services.scheduler.sync()
    key = f"group:{group_id}:paused:{now.isoformat()}"
    send_dms(
        services,
        to_each(
            services,
            key,
            members,
            language,
            lambda tr: channel_lost_message(tr, channel_id, reason),
        ),
    )


def channel_moved(services: Services, old: str, new: str) -> None:
    """Slack gave the group's channel a new id: everything follows it. The timers read the
    channel from the group when they fire, so they follow by themselves."""
    with services.db.begin() as session:
        group_id = move_channel(session, services.team_id, old, new)
    if group_id is not None:
        logger.info(
            "group %s moved from channel %s to %s", group_id, old, new, extra={"group": group_id}
        )


def organisation_joined(services: Services, channel_id: str, team_id: str) -> None:
    """Another organisation joined the group's channel: say how its people join the group."""
    with services.db() as session:
        group = group_in_channel(session, services.team_id, channel_id)
        if group is None:
            return
        group_id, tr = group.id, group_translator(group)
    logger.info(
        "group %s: its channel is now shared with workspace %s",
        group_id,
        team_id,
        extra={"group": group_id, "team": team_id},
    )
    post_once_soon(
        services,
        f"group:{group_id}:shared:{team_id}:{services.clock().isoformat()}",
        channel_id,
        {"text": tr.t("panel.shared")},
    )
    refresh_panel(services, group_id)


def organisation_left(services: Services, channel_id: str, team_id: str) -> None:
    """An organisation left the group's shared channel: its people lose access to the group
    (each gets a DM); everything the group shared stays with the group."""
    with services.db() as session:
        group = group_in_channel(session, services.team_id, channel_id)
        if group is None or team_id in (group.team_id, group.enterprise_id):
            return
        group_id = group.id
        people = [*group.member_ids, *([group.facilitator_id] if group.facilitator_id else [])]
    leaving = [p for p in dict.fromkeys(people) if services.directory.profile(p).team == team_id]
    if not leaving:
        return
    now = services.clock()
    with services.db.begin() as session:
        group = get_group(session, group_id)
        if group is None:
            return
        remove_members(session, group, leaving, now)
        name, tr = group.name, group_translator(group)
    logger.info(
        "group %s: %s member(s) left with workspace %s",
        group_id,
        len(leaving),
        team_id,
        extra={"group": group_id, "team": team_id},
    )
    key = f"group:{group_id}:unshared:{team_id}:{now.isoformat()}"
    people_text = join(", ", (mention(p) for p in leaving))
    post_once_soon(services, key, channel_id, {"text": tr.t("panel.unshared", people=people_text)})
    language = tr.language
    send_dms(
        services,
        to_each(
            services,
            key,
            leaving,
            language,
            lambda own: {"text": own.t("panel.left_group", name=name)},
        ),
    )
    publish_welcome(services, group_id, leaving[0], edited=False)


def channel_back(services: Services, channel_id: str) -> None:
    now = services.clock()
    with services.db.begin() as session:
        group = group_in_channel(session, services.team_id, channel_id)
        if group is None or not resume_group(session, group):
            return
        group_id, members, language = group.id, group.member_ids, group.language
    logger.info(
        "group %s resumed: channel %s is back", group_id, channel_id, extra={"group": group_id}
    )
    services.scheduler.sync()
    key = f"group:{group_id}:resumed:{now.isoformat()}"
    send_dms(
        services,
        to_each(services, key, members, language, lambda tr: channel_back_message(tr, channel_id)),
    )
