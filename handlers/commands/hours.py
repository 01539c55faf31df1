"""`/intervisie hours`: a member's own working hours, which asynchronous cases respect."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.commands.call import CommandCall
from methods.scheduling import zone
from rendering.hours_modal import hours_modal
from storage.people import get_person
from usecases.asynchronous import working_hours


def hours(call: CommandCall) -> None:
    """Anyone may set their own hours: they are about nobody else."""
    profile = call.services.directory.profile(call.user_id)
    home = zone(profile.tz or "") or ZoneInfo("UTC")
    with call.services.db() as session:
        current = working_hours(get_person(session, call.services.team_id, call.user_id), home)
    call.client.views_open(trigger_id=call.trigger_id, view=hours_modal(call.tr, current))
