"""`/intervisie group`: the group at a glance, with an Edit button for its members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from methods.groups import GroupFields
from rendering.blocks import button, header, section
from rendering.i18n import Translator
from rendering.markup import fmt, mentions
from rendering.meeting_facts import MeetingFacts, meeting_details
from rendering.welcome_message import facilitator_line, rhythm_line

EDIT_GROUP = "group_edit"


def group_summary(
    tr: Translator, group_id: int, fields: GroupFields, upcoming: Sequence[MeetingFacts]
) -> dict[str, Any]:
    members = mentions(fields.member_ids)
    facilitator = facilitator_line(tr, fields)
    rhythm = rhythm_line(tr, fields)
    next_meeting = (
        meeting_details(tr, upcoming[0]) if upcoming else tr.t("group.no_meeting_planned")
    )
    return {
        "text": fields.name,
        "blocks": [
            header(fields.name),
            section(
                fmt("{}\n{}\n{}", tr.t("group.members_are", members=members), facilitator, rhythm)
            ),
            section(fmt("*{}*\n{}", tr.t("group.next_meeting"), next_meeting)),
            {
                "type": "actions",
                "elements": [button(tr.t("group.edit_button"), EDIT_GROUP, str(group_id))],
            },
        ],
    }
