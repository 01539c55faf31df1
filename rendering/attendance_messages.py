"""Attendance in Slack: the "I'm here" part of the opening message, the record in the closing
message, the chair's correction modal, and a member's yearly overview and target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from methods.attendance import (
    CORRECTED_MINUTES_RANGE,
    DEFAULT_TARGET_MEETINGS,
    DEFAULT_TARGET_MINUTES,
    TARGET_MEETINGS_RANGE,
    TARGET_MINUTES_RANGE,
    Target,
)
from rendering.attendance_files import duration_text
from rendering.blocks import Block, button, context, section
from rendering.forms import field, modal, number_input
from rendering.i18n import Translator
from rendering.markup import mention, mentions

PRESENT = "attendance_present"
CORRECT = "attendance_correct"
SET_TARGET = "attendance_target"
ATTENDANCE_MODAL = "attendance_modal"
TARGET_MODAL = "attendance_target_modal"
WHO = "present"
MINUTES = "minutes"
MEETINGS = "meetings"


def _people(tr: Translator, user_ids: Sequence[str]) -> str:
    return mentions(user_ids) or tr.t("attendance.nobody")


@dataclass(frozen=True)
class Recorded:
    """A held meeting's record as the channel may see it: no content."""

    minutes: int
    cases: int
    corrected_by: str | None


def presence_blocks(
    tr: Translator, meeting_id: int, present: Sequence[str], recorded: Recorded | None
) -> list[Block]:
    """The opening message's attendance part. During the meeting: who is here, and the
    button; afterwards: what was recorded."""
    if recorded is not None:
        text = tr.t(
            "attendance.closed",
            people=_people(tr, present),
            duration=duration_text(tr, recorded.minutes),
            cases=tr.t("counted.case", count=recorded.cases),
        )
        blocks: list[Block] = [section(text)]
        if recorded.corrected_by:
            blocks.append(
                context(tr.t("attendance.corrected", user=mention(recorded.corrected_by)))
            )
        return blocks
    return [
        section(tr.t("attendance.prompt")),
        context(tr.t("attendance.present", people=_people(tr, present))),
        {
            "type": "actions",
            "block_id": f"present:{meeting_id}",
            "elements": [button(tr.t("attendance.button"), PRESENT, str(meeting_id), "primary")],
        },
    ]


def record_blocks(tr: Translator, meeting_id: int, present: int, minutes: int) -> list[Block]:
    """The closing message's part: what was recorded, and the chair's way to correct it."""
    return [
        context(tr.t("attendance.closing", count=present, duration=duration_text(tr, minutes))),
        {
            "type": "actions",
            "elements": [button(tr.t("attendance.correct_button"), CORRECT, str(meeting_id))],
        },
    ]


def attendance_modal(
    tr: Translator,
    meeting_id: int,
    group_name: str,
    date: str,
    present: Sequence[str],
    minutes: int,
) -> dict[str, Any]:
    blocks = [
        section(tr.t("attendance.modal_intro", group=group_name, date=date)),
        field(
            WHO,
            tr.t("attendance.modal_present"),
            {"type": "multi_users_select", "initial_users": list(present)},
        ),
        field(
            MINUTES,
            tr.t("attendance.modal_minutes"),
            number_input(minutes, CORRECTED_MINUTES_RANGE.start, CORRECTED_MINUTES_RANGE.stop - 1),
            hint=tr.t("attendance.modal_minutes_hint"),
        ),
    ]
    return modal(
        ATTENDANCE_MODAL,
        tr.t("attendance.modal_title"),
        tr.t("attendance.modal_save"),
        tr.t("modal.cancel"),
        blocks,
        {"meeting": meeting_id, "lang": tr.language},
    )


def target_modal(tr: Translator, target: Target) -> dict[str, Any]:
    hint = tr.t(
        "attendance.target_hint", meetings=DEFAULT_TARGET_MEETINGS, minimum=DEFAULT_TARGET_MINUTES
    )
    blocks = [
        field(
            MEETINGS,
            tr.t("attendance.target_meetings"),
            number_input(
                target.meetings, TARGET_MEETINGS_RANGE.start, TARGET_MEETINGS_RANGE.stop - 1
            ),
            hint=hint,
        ),
        field(
            MINUTES,
            tr.t("attendance.target_minutes"),
            number_input(target.minutes, TARGET_MINUTES_RANGE.start, TARGET_MINUTES_RANGE.stop - 1),
        ),
    ]
    return modal(
        TARGET_MODAL,
        tr.t("attendance.target_modal_title"),
        tr.t("attendance.modal_save"),
        tr.t("modal.cancel"),
        blocks,
        {"lang": tr.language},
    )


def overview_reply(tr: Translator, summary: str, sent: bool) -> dict[str, Any]:
    """The ephemeral answer to `/intervisie attendance`: the plain sentence, and the target."""
    note = tr.t("attendance.overview_sent" if sent else "attendance.overview_failed")
    return {
        "text": summary,
        "blocks": [
            section(summary),
            context(note),
            {
                "type": "actions",
                "elements": [button(tr.t("attendance.target_button"), SET_TARGET, "me")],
            },
        ],
    }
