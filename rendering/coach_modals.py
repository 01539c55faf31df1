"""The coach's path's modals: the readiness thresholds, a coach's note to the current phase, and
the group's tips (edit one, or empty it to drop it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from methods.coaching import READY_MEETINGS, READY_METHODS, READY_SHARE, Thresholds
from methods.library import methods
from rendering.blocks import context
from rendering.forms import field, modal, number_input, text_input
from rendering.i18n import Translator

THRESHOLDS_MODAL = "coach_thresholds_modal"
NOTE_MODAL = "coach_note_modal"
TIPS_MODAL = "group_tips_modal"
MEETINGS, SHARE, METHODS = "ready_meetings", "ready_share", "ready_methods"
NOTE = "note"
NOTE_MAX = 1000  # characters: a note, and a tip kept from it, stay short
MAX_TIPS = 40


def thresholds_modal(tr: Translator, group_id: int, thresholds: Thresholds) -> dict[str, Any]:
    return modal(
        THRESHOLDS_MODAL,
        tr.t("coach.thresholds"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        [
            field(
                MEETINGS,
                tr.t("coach.threshold_meetings"),
                number_input(thresholds.meetings, *READY_MEETINGS),
            ),
            field(
                SHARE, tr.t("coach.threshold_share"), number_input(thresholds.share, *READY_SHARE)
            ),
            field(
                METHODS,
                tr.t("coach.threshold_methods"),
                number_input(thresholds.methods, *READY_METHODS),
            ),
        ],
        {"group": group_id, "lang": tr.language},
    )


def note_modal(tr: Translator, run_id: int, phase: str) -> dict[str, Any]:
    return modal(
        NOTE_MODAL,
        tr.t("coach.note"),
        tr.t("run.add_save"),
        tr.t("modal.cancel"),
        [
            field(
                NOTE,
                tr.t("coach.note_label", phase=phase),
                text_input(None, max_length=NOTE_MAX, multiline=True),
                hint=tr.t("coach.note_hint"),
            )
        ],
        {"run": run_id, "lang": tr.language},
    )


def tip_field(method_id: str, phase_id: str) -> str:
    return f"tip:{method_id}:{phase_id}"


def tips_modal(
    tr: Translator, group_id: int, tips: Sequence[tuple[str, str, str]]
) -> dict[str, Any]:
    """`tips`: (method id, phase id, text) of the group's tips, each an input to edit; an emptied
    one is dropped."""
    blocks = []
    for method_id, phase_id, text in tips[:MAX_TIPS]:
        method = methods()[method_id]
        phase = next(p for p in method.phases if p.id == phase_id)
        label = tr.t(
            "coach.tip_label", method=method.named(tr.language), phase=phase.title(tr.language)
        )
        blocks.append(
            field(
                tip_field(method_id, phase_id),
                label,
                text_input(text, max_length=NOTE_MAX, multiline=True),
                optional=True,
            )
        )
    return modal(
        TIPS_MODAL,
        tr.t("coach.tips"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        [*blocks, context(tr.t("coach.tips_hint"))],
        {"group": group_id, "lang": tr.language},
    )
