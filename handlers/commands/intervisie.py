"""`/intervisie <subcommand>`: acknowledge, then route to the subcommand."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import channel_group
from handlers.commands.attendance import attendance, history
from handlers.commands.call import CommandCall, Subcommand
from handlers.commands.cases import list_cases, new_case
from handlers.commands.coaching import call_coach, tips
from handlers.commands.goals import list_goals
from handlers.commands.group import setup, show_group
from handlers.commands.hours import hours
from handlers.commands.meetings import list_meetings, propose, schedule
from handlers.commands.privacy import export, forget_me
from handlers.commands.review import review
from handlers.commands.session import list_methods, start
from handlers.commands.verify import verify_proof
from handlers.context import services_of
from rendering.help_message import help_message, unknown_subcommand_message


def show_help(call: CommandCall) -> None:
    call.reply(help_message(call.tr, list(SUBCOMMANDS)))


SUBCOMMANDS: dict[str, Subcommand] = {
    "help": show_help,
    "setup": setup,
    "group": show_group,
    "schedule": schedule,
    "propose": propose,
    "meetings": list_meetings,
    "case": new_case,
    "cases": list_cases,
    "start": start,
    "methods": list_methods,
    "goals": list_goals,
    "hours": hours,
    "attendance": attendance,
    "history": history,
    "review": review,
    "verify": verify_proof,
    "export": export,
    "forget-me": forget_me,
    "tips": tips,
    "call-coach": call_coach,
}


def intervisie_command(
    ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    word, _, args = str(body.get("text") or "").strip().partition(" ")
    # What the caller reads alone: their language, else that of the channel's group.
    group = channel_group(services, str(body.get("channel_id") or ""))
    tr = services.directory.translator(str(body["user_id"]), group.language if group else None)
    call = CommandCall(services, client, respond, body, args.strip(), tr)
    subcommand = SUBCOMMANDS.get(word.lower() or "help")
    if subcommand is None:
        call.reply(unknown_subcommand_message(tr, word))
        return
    subcommand(call)
