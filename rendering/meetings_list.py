"""`/intervisie meetings`: the upcoming meetings, each with Reschedule and Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rendering.blocks import Block, button, confirm_dialog, header, section
from rendering.i18n import Translator
from rendering.meeting_facts import MeetingFacts, meeting_details
from rendering.times import slack_time

RESCHEDULE = "meeting_reschedule"
CANCEL = "meeting_cancel"


def meetings_list(
    tr: Translator, group_name: str, meetings: Sequence[MeetingFacts]
) -> dict[str, Any]:
    title = tr.t("meetings.title", name=group_name)
    blocks: list[Block] = [header(title)]
    if not meetings:
        blocks.append(section(tr.t("meetings.none")))
    for facts in meetings[:20]:
        cancel = button(tr.t("meetings.cancel"), CANCEL, str(facts.meeting_id), "danger")
        when = slack_time(facts.starts_at, facts.tz, tr)
        cancel["confirm"] = confirm_dialog(
            tr, "meetings.cancel", tr.t("meetings.cancel_text", when=when), danger=True
        )
        blocks.append(section(meeting_details(tr, facts)))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"meeting:{facts.meeting_id}",
                "elements": [
                    button(tr.t("meetings.reschedule"), RESCHEDULE, str(facts.meeting_id)),
                    cancel,
                ],
            }
        )
    return {"text": title, "blocks": blocks}
