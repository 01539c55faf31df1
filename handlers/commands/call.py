"""One slash command invocation, as the subcommands see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from handlers.access import channel_group, refusal
from rendering.i18n import Translator
from storage.models import Group
from usecases.services import Services


@dataclass(frozen=True)
class CommandCall:
    services: Services
    client: WebClient
    respond: Respond
    body: dict[str, Any]
    args: str
    tr: Translator

    @property
    def user_id(self) -> str:
        return str(self.body["user_id"])

    @property
    def channel_id(self) -> str:
        return str(self.body.get("channel_id", ""))

    @property
    def trigger_id(self) -> str:
        return str(self.body.get("trigger_id", ""))

    def reply(self, message: dict[str, Any]) -> None:
        self.respond(response_type="ephemeral", replace_original=False, **message)

    def reply_text(self, text: str) -> None:
        self.reply({"text": text})


def member_group(call: CommandCall) -> Group | None:
    """The group of the channel the command came from, when the caller may act for it;
    otherwise the caller is told why not and None comes back."""
    group = channel_group(call.services, call.channel_id)
    refused = refusal(call.services, call.user_id, group)
    if refused is not None or group is None:
        call.reply_text(refused or "")
        return None
    return group


Subcommand = Callable[[CommandCall], None]
