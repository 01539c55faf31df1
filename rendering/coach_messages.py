"""What the coach's steps say: the announcement of each step in the group's channel, the DM that
calls a former coach back with Accept / Decline, and a coach's note in a case's thread with the
button that keeps it as the group's tip."""

from __future__ import annotations

from datetime import date
from typing import Any

from methods.coaching import UNDO
from rendering.blocks import Block, button, context, section
from rendering.coach_view import COACH_UNDO
from rendering.i18n import Translator
from rendering.markup import fmt, mention
from rendering.meeting_facts import MeetingFacts, meeting_details

COACH_ACCEPT = "coach_accept"
COACH_DECLINE = "coach_decline"
KEEP_TIP = "tip_keep"


def step_announcement(
    tr: Translator,
    step: str,
    coach_id: str,
    group_id: int,
    group_name: str,
    since: date | None = None,
) -> dict[str, Any]:
    """A step of the coach (`step_back`, `hand_over`, `undo`), said once in the channel. A step
    back or a hand-over carries the coach's *Undo* (after a hand-over the coach's App Home no
    longer shows the group)."""
    text = tr.t(
        f"coach.announce.{step}",
        coach=mention(coach_id),
        name=group_name,
        since=tr.date(since) if since else "",
    )
    blocks: list[Block] = [section(text)]
    if step != UNDO:
        undo = button(tr.t("coach.undo"), COACH_UNDO, str(group_id))
        blocks += [
            {"type": "actions", "elements": [undo]},
            context(tr.t("coach.undo_hint", coach=mention(coach_id))),
        ]
    return {"text": text, "blocks": blocks}


def coach_reminder(tr: Translator, facts: MeetingFacts) -> dict[str, Any]:
    """The coach's DM when the members are asked for cases: the meeting, and where to look."""
    text = tr.t("coach.reminder", name=facts.group_name)
    return {
        "text": text,
        "blocks": [section(text), section(meeting_details(tr, facts)), context(tr.t("coach.hint"))],
    }


def runs_itself_line(tr: Translator, since: date) -> str:
    return tr.t("coach.runs_itself", since=tr.date(since))


def call_back_message(
    tr: Translator, caller_id: str, group_name: str, when: str, value: str
) -> dict[str, Any]:
    """The DM to the former coach: come and observe one meeting?"""
    text = tr.t("coach.call_back", caller=mention(caller_id), name=group_name, when=when)
    buttons = [
        button(tr.t("coach.accept"), COACH_ACCEPT, value, "primary"),
        button(tr.t("coach.decline"), COACH_DECLINE, value),
    ]
    return {
        "text": text,
        "blocks": [
            section(text),
            {"type": "actions", "elements": buttons},
            context(tr.t("coach.call_back_note")),
        ],
    }


def call_back_announcement(
    tr: Translator, what: str, coach_id: str, caller_id: str, when: str
) -> dict[str, Any]:
    """In the channel: a member called the former coach back (`called`), and the answer
    (`accepted`, `declined`)."""
    text = tr.t(
        f"coach.announce.{what}", coach=mention(coach_id), caller=mention(caller_id), when=when
    )
    return {"text": text, "blocks": [section(text)]}


def coach_note_message(
    tr: Translator, coach_id: str, phase: str, text: str, note_id: int
) -> dict[str, Any]:
    """A coach's note to the current phase, in the case's thread, marked as the coach's."""
    title = tr.t("coach.note_title", coach=mention(coach_id), phase=phase)
    blocks: list[Block] = [
        section(fmt("{}\n>{}", title, text.replace("\n", "\n>"))),
        {
            "type": "actions",
            "elements": [button(tr.t("coach.keep_tip"), KEEP_TIP, str(note_id))],
        },
        context(tr.t("coach.keep_tip_hint")),
    ]
    return {"text": title, "blocks": blocks}
