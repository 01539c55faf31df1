"""`/intervisie tips` (the group's tips: edit or drop them) and `/intervisie call-coach` (ask the
coach who handed the group over to observe the next meeting)."""

from __future__ import annotations

from handlers.commands.call import CommandCall, member_group
from rendering.coach_modals import tips_modal
from usecases.answers import Answer
from usecases.coaching import call_coach_back, group_tips


def tips(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    kept = group_tips(call.services, group.id)
    if not kept:
        call.reply_text(call.tr.t("coach.no_tips"))
        return
    call.client.views_open(trigger_id=call.trigger_id, view=tips_modal(call.tr, group.id, kept))


def call_coach(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    said = call_coach_back(call.services, group.id, call.user_id)
    if said is Answer.DONE:
        call.reply_text(call.tr.t("coach.called"))
    else:
        call.reply_text(call.tr.t(f"coach.answer.{said.value}"))
