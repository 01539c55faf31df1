"""The reminders: the case request DM, and the agenda that becomes the start message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rendering.blocks import button, context, header, section
from rendering.case_lines import CaseLine, case_blocks
from rendering.i18n import Translator
from rendering.markup import fmt, mentions
from rendering.meeting_facts import MeetingFacts, meeting_details, where

SUBMIT_CASE = "case_submit"
NO_CASE = "case_none"
START_MEETING = "meeting_start"


def case_request_message(tr: Translator, facts: MeetingFacts) -> dict[str, Any]:
    text = tr.t("reminder.case_request", name=facts.group_name)
    return {
        "text": text,
        "blocks": [
            section(text),
            section(meeting_details(tr, facts)),
            {
                "type": "actions",
                "block_id": f"case_request:{facts.meeting_id}",
                "elements": [
                    button(
                        tr.t("reminder.submit_case"), SUBMIT_CASE, str(facts.meeting_id), "primary"
                    ),
                    button(tr.t("reminder.no_case"), NO_CASE, str(facts.meeting_id)),
                ],
            },
            context(tr.t("reminder.case_private")),
        ],
    }


def no_case_noted_message(tr: Translator, facts: MeetingFacts) -> dict[str, Any]:
    text = tr.t("reminder.no_case_noted", name=facts.group_name)
    return {"text": text, "blocks": [section(text), section(meeting_details(tr, facts))]}


def agenda_message(
    tr: Translator,
    facts: MeetingFacts,
    cases: Sequence[CaseLine],
    no_case: Sequence[str],
    rules_link: str | None,
    chosen_by: str | None,
) -> dict[str, Any]:
    title = tr.t("reminder.agenda_title", name=facts.group_name)
    blocks = [
        header(title),
        section(meeting_details(tr, facts)),
        section(fmt("*{}*", tr.t("reminder.agenda_cases"))),
        *case_blocks(tr, facts.meeting_id, cases, chosen_by, facts.case_slots),
    ]
    if no_case:
        people = mentions(no_case)
        blocks.append(context(tr.t("reminder.agenda_no_case_from", people=people)))
    rules = (
        tr.t("reminder.rules_link", link=rules_link)
        if rules_link
        else tr.t("reminder.rules_pinned")
    )
    blocks.append(context(rules))
    return {"text": title, "blocks": blocks}


def start_message(
    tr: Translator, facts: MeetingFacts, agenda: dict[str, Any], soon: bool
) -> dict[str, Any]:
    """The meeting's moment (`soon`: a few minutes ahead), with its Start button, above the
    agenda: the one message that carries the meeting from the day before until it opens."""
    text = tr.t(
        "reminder.soon" if soon else "reminder.start",
        name=facts.group_name,
        where=where(tr, facts.location),
    )
    return {
        "text": text,
        "blocks": [
            section(text),
            {
                "type": "actions",
                "block_id": f"start:{facts.meeting_id}",
                "elements": [
                    button(
                        tr.t("reminder.start_button"),
                        START_MEETING,
                        str(facts.meeting_id),
                        "primary",
                    )
                ],
            },
            *agenda["blocks"],
        ][:50],
    }
