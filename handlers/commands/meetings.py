"""`/intervisie schedule`, `/intervisie propose` and `/intervisie meetings`."""

from __future__ import annotations

from handlers.commands.call import CommandCall, member_group
from rendering.meeting_modal import meeting_modal, proposal_modal
from rendering.meetings_list import meetings_list
from storage.meetings import upcoming_meetings
from usecases.meetings import meeting_facts


def schedule(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    view = meeting_modal(
        call.tr,
        group_id=group.id,
        meeting_id=None,
        start=None,
        minutes=group.meeting_minutes,
        location="",
        case_slots=None,
    )
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def propose(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    view = proposal_modal(call.tr, group_id=group.id, minutes=group.meeting_minutes, location="")
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def list_meetings(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    with call.services.db() as session:
        upcoming = [
            meeting_facts(m) for m in upcoming_meetings(session, group.id, call.services.clock())
        ]
    call.reply(meetings_list(call.tr, group.name, upcoming))
