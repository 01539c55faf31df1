"""Events API listeners."""

from __future__ import annotations

from slack_bolt import App

from handlers.events.app_home import app_home_opened
from handlers.events.channels import (
    bot_left_channel,
    channel_archived,
    channel_id_changed,
    channel_shared,
    channel_unarchived,
    channel_unshared,
    member_joined,
)
from handlers.events.installation import app_uninstalled, tokens_revoked
from handlers.events.messages import channel_message


def register(app: App) -> None:
    app.event("app_home_opened")(app_home_opened)
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    for archived in ("channel_archive", "group_archive"):
        app.event(archived)(channel_archived)
    for left in ("channel_left", "group_left"):
        app.event(left)(bot_left_channel)
    for unarchived in ("channel_unarchive", "group_unarchive"):
        app.event(unarchived)(channel_unarchived)
    app.event("member_joined_channel")(member_joined)
    app.event("channel_id_changed")(channel_id_changed)
    app.event("channel_shared")(channel_shared)
    app.event("channel_unshared")(channel_unshared)
    app.event("message")(channel_message)
