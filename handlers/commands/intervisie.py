"""`/intervisie <subcommand>`: acknowledge, then route to the subcommand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.i18n import Translator
from bot.services import Services, services_of
from handlers.blocks.help_message import help_message, unknown_subcommand_message


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


Subcommand = Callable[[CommandCall], None]


def show_help(call: CommandCall) -> None:
    call.reply(help_message(call.tr, list(SUBCOMMANDS)))


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": show_help,
}


def intervisie_command(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    word, _, args = str(body.get("text") or "").strip().partition(" ")
    tr = services.directory.translator(str(body["user_id"]))
    call = CommandCall(services, client, respond, body, args.strip(), tr)
    subcommand = SUBCOMMANDS.get(word.lower() or "help")
    if subcommand is None:
        call.reply(unknown_subcommand_message(tr, word))
        return
    subcommand(call)
