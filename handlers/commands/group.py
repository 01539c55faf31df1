"""`/intervisie setup` and `/intervisie group`."""

from __future__ import annotations

from handlers.access import channel_group
from handlers.commands.call import CommandCall, member_group
from methods.groups import DEFAULT_CADENCE_WEEKS, DEFAULT_MEETING_MINUTES, GroupFields
from methods.scheduling import zone
from rendering.group_modal import default_rules, group_modal
from rendering.group_summary import group_summary
from storage.groups import fields_of
from storage.meetings import upcoming_meetings
from usecases.groups import channel_people
from usecases.meetings import meeting_facts


def setup(call: CommandCall) -> None:
    if call.channel_id.startswith("D") or call.body.get("channel_name") == "directmessage":
        call.reply_text(call.tr.t("group.needs_channel"))
        return
    if channel_group(call.services, call.channel_id) is not None:
        call.reply_text(call.tr.t("group.exists"))
        return
    profile = call.services.directory.profile(call.user_id)
    fields = GroupFields(
        name=str(call.body.get("channel_name") or "intervisie")[:80],
        member_ids=channel_people(call.services, call.channel_id, call.user_id),
        facilitator_id=None,
        cadence_weeks=DEFAULT_CADENCE_WEEKS,
        meeting_minutes=DEFAULT_MEETING_MINUTES,
        language=call.tr.language,
        timezone=profile.tz if profile.tz and zone(profile.tz) else "Europe/Amsterdam",
        ground_rules=default_rules(call.tr.language),
    )
    call.client.views_open(
        trigger_id=call.trigger_id,
        view=group_modal(call.tr, fields, channel_id=call.channel_id, group_id=None),
    )


def show_group(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    with call.services.db() as session:
        upcoming = [
            meeting_facts(m) for m in upcoming_meetings(session, group.id, call.services.clock())
        ]
    call.reply(group_summary(call.tr, group.id, fields_of(group), upcoming))
