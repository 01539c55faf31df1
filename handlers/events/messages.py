"""Messages in the channels the bot is in: only replies in a case's thread during a collection
round matter (they are contributions); everything else is dropped unread and unlogged."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.context import services_of
from handlers.payload import reply_in_thread
from usecases.live.replies import reply_changed, thread_reply


def channel_message(event: dict[str, Any], context: BoltContext) -> None:
    subtype = event.get("subtype")
    services = services_of(context)
    if subtype == "message_changed":
        edited = reply_in_thread(event)
        if edited is not None:
            reply_changed(services, edited)
    elif subtype == "message_deleted":
        gone = reply_in_thread(event, deleted=True)
        if gone is not None:
            reply_changed(services, gone, deleted=True)
    else:
        reply = reply_in_thread(event)
        if reply is not None:
            thread_reply(services, reply)
