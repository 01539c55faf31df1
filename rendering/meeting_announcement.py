"""The channel message for a planned, moved or cancelled meeting (the .ics goes in its thread)."""

from __future__ import annotations

from typing import Any, Literal

from rendering.blocks import context, section
from rendering.i18n import Translator
from rendering.markup import fmt, mention
from rendering.meeting_facts import MeetingFacts, meeting_details

Change = Literal["new", "moved", "cancelled"]


def announcement(
    tr: Translator, facts: MeetingFacts, change: Change, actor_id: str
) -> dict[str, Any]:
    title = tr.t(f"meeting.announced.{change}", name=facts.group_name, user=mention(actor_id))
    return {
        "text": title,
        "blocks": [
            section(fmt("*{}*", title)),
            section(meeting_details(tr, facts)),
            context(tr.t(f"meeting.invite_hint.{change}")),
        ],
    }
