"""`/intervisie goals`: your takeaways and goals over time, to update at any moment."""

from __future__ import annotations

from handlers.commands.call import CommandCall
from rendering.followup_messages import goals_message
from usecases.followup import goals_of


def list_goals(call: CommandCall) -> None:
    with call.services.db() as session:
        goals = goals_of(session, call.user_id)
    call.reply(goals_message(call.tr, goals))
