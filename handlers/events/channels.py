"""A group channel archived, or the bot removed from it, and back: pause and resume the group.
Shared with another organisation, or no longer: say how its people join, or let them go."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.context import services_of
from handlers.payload import slack_id
from usecases.channels import (
    channel_back,
    channel_lost,
    channel_moved,
    organisation_joined,
    organisation_left,
)


def channel_archived(event: dict[str, Any], context: BoltContext) -> None:
    channel_lost(services_of(context), str(event.get("channel") or ""), "is_archived")


def bot_left_channel(event: dict[str, Any], context: BoltContext) -> None:
    """Our bot left the group's channel (another organisation's bot leaving a shared channel
    reaches their installation, and `own_installation_only` keeps it there)."""
    channel_lost(services_of(context), str(event.get("channel") or ""), "not_in_channel")


def channel_unarchived(event: dict[str, Any], context: BoltContext) -> None:
    channel_back(services_of(context), str(event.get("channel") or ""))


def member_joined(event: dict[str, Any], context: BoltContext) -> None:
    """Only the bot's own return matters; members joining change nothing here."""
    if event.get("user") == context.bot_user_id:
        channel_back(services_of(context), str(event.get("channel") or ""))


def channel_shared(event: dict[str, Any], context: BoltContext) -> None:
    """Another organisation joined the channel (Slack Connect)."""
    organisation_joined(
        services_of(context),
        slack_id(event.get("channel")),
        slack_id(event.get("connected_team_id")),
    )


def channel_unshared(event: dict[str, Any], context: BoltContext) -> None:
    """An organisation left the shared channel: its members leave the group."""
    organisation_left(
        services_of(context),
        slack_id(event.get("channel")),
        slack_id(event.get("previously_connected_team_id")),
    )


def channel_id_changed(event: dict[str, Any], context: BoltContext) -> None:
    """A private channel shared with other organisations gets a new id (G... to C...)."""
    channel_moved(
        services_of(context),
        slack_id(event.get("old_channel_id")),
        slack_id(event.get("new_channel_id")),
    )
