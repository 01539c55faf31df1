"""`/intervisie goals`: your takeaways and goals over time, to update at any moment."""

from __future__ import annotations

from bot.followup import goals_of
from handlers.blocks.followup_messages import goals_message
from handlers.commands.call import CommandCall


def list_goals(call: CommandCall) -> None:
    with call.services.db() as session:
        goals = goals_of(session, call.user_id)
    call.reply(goals_message(call.tr, goals))
