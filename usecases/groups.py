"""Group set-up in Slack: the pinned welcome with the ground rules, and what to fix if the bot
cannot post in the channel."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from methods.groups import MAX_MEMBERS
from rendering.i18n import Translator
from rendering.markup import channel, mention
from rendering.welcome_message import welcome_message
from storage.groups import fields_of, get_group
from usecases.delivery import send_once_soon
from usecases.meetings import group_day, group_translator
from usecases.panel import refresh_panel
from usecases.services import Services

logger = logging.getLogger(__name__)
NOT_THERE = ("channel_not_found", "not_in_channel", "is_archived")


def channel_people(services: Services, channel_id: str, first: str) -> tuple[str, ...]:
    """Who a new group most likely is: `first` (who sets it up), then the channel's people, in
    the channel's order: no bots, no deactivated accounts, at most a group's size. It asks
    Slack about each in parallel and stops waiting after a second, for the modal must open
    within Slack's three seconds; whoever Slack did not answer for in time is left out."""
    try:
        found = services.client.conversations_members(channel=channel_id, limit=100)
    except (SlackApiError, OSError):
        return (first,)
    others = [u for u in found.get("members") or [] if isinstance(u, str) and u != first]
    pool = ThreadPoolExecutor(max_workers=8)
    asked = [(user, pool.submit(is_person, services, user)) for user in others[:24]]
    wait([future for _, future in asked], timeout=1.0)
    pool.shutdown(wait=False, cancel_futures=True)
    people = [user for user, future in asked if future.done() and future.result()]
    return (first, *people)[:MAX_MEMBERS]


def is_person(services: Services, user_id: str) -> bool:
    try:
        user = services.client.users_info(user=user_id)["user"]
    except (SlackApiError, OSError, KeyError):
        return False
    return not (user.get("is_bot") or user.get("deleted") or user.get("id") == "USLACKBOT")


def in_channel(services: Services, channel_id: str, user_id: str) -> bool | None:
    """Whether Slack says `user_id` is in the channel (a new group's channel comes from the
    modal, so it is checked against Slack, not trusted); None when the bot cannot see the
    channel yet (not invited), where the slash command that opened the modal is all we have."""
    try:
        return user_id in channel_members(services, channel_id)
    except SlackApiError as exc:
        return None if exc.response.get("error") in NOT_THERE else False
    except OSError:
        return None


def channel_members(services: Services, channel_id: str) -> set[str]:
    members: set[str] = set()
    cursor = None
    while True:
        page = services.client.conversations_members(channel=channel_id, cursor=cursor, limit=200)
        members.update(page.get("members") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return members


def publish_welcome(services: Services, group_id: int, actor_id: str, edited: bool) -> None:
    """Post and pin the welcome (or update the pinned one after an edit), and the panel."""
    with services.db() as session:
        group = get_group(session, group_id)
        if group is None:
            return
        tr = group_translator(group)
        channel_id, welcome_ts = group.channel_id, group.welcome_ts
        fields = fields_of(group)
        since_day = group_day(group, group.runs_itself_since)
    people = [*fields.member_ids, *([fields.facilitator_id] if fields.facilitator_id else [])]
    for person in people:
        # Known from now on, so what each reads alone is in their language, also where a
        # message is made inside a transaction (where Slack is not asked).
        services.directory.profile(person)
    client = services.client
    try:
        info = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as exc:
        if exc.response.get("error") not in NOT_THERE:
            raise
        info = {}
    if not info.get("is_member"):
        _explain_invite(services, tr, actor_id, channel_id)
        return
    present = channel_members(services, channel_id)
    message = welcome_message(
        tr,
        fields,
        public=not info.get("is_private", False),
        missing=[p for p in people if p not in present],
        since=since_day,
    )
    if welcome_ts:
        client.chat_update(channel=channel_id, ts=welcome_ts, **message)
        if edited:
            client.chat_postMessage(
                channel=channel_id, text=tr.t("group.updated", user=mention(actor_id))
            )
    else:
        # Once, even when Slack's answer is lost: a look finds it before it goes again.
        send_once_soon(
            services,
            f"group:{group_id}:welcome",
            lambda: _post_welcome(services, group_id, channel_id, message),
        )
    refresh_panel(services, group_id)


def _post_welcome(
    services: Services, group_id: int, channel_id: str, message: dict[str, Any]
) -> SlackResponse:
    posted = services.client.chat_postMessage(channel=channel_id, **message)
    with services.db.begin() as session:
        group = get_group(session, group_id)
        if group is not None:
            group.welcome_ts = str(posted["ts"])
    try:
        services.client.pins_add(channel=channel_id, timestamp=posted["ts"])
    except (SlackApiError, OSError):  # the welcome stands; members find it in the channel
        logger.warning("could not pin the welcome of group %s", group_id, extra={"group": group_id})
    return posted


def _explain_invite(services: Services, tr: Translator, user_id: str, channel_id: str) -> None:
    logger.info("group channel %s: bot is not in the channel; told user %s", channel_id, user_id)
    services.client.chat_postMessage(
        channel=user_id, text=tr.t("group.invite_me", channel=channel(channel_id))
    )
