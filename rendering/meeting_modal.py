"""The meeting modal (plan or reschedule) and the candidate-times modal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from methods.scheduling import MAX_MEETING_MINUTES, MIN_MEETING_MINUTES, default_case_slots
from rendering.forms import datetime_input, field, modal, number_input, text_input
from rendering.i18n import Translator

MEETING_MODAL = "meeting_modal"
PROPOSAL_MODAL = "proposal_modal"
START = "start"
LENGTH = "length"
WHERE = "where"
SLOTS = "slots"
MAX_OPTIONS = 5
MAX_SLOTS = 6


def option_block(number: int) -> str:
    return f"option_{number}"


def _length_and_place(tr: Translator, minutes: int, location: str) -> list[dict[str, Any]]:
    return [
        field(
            LENGTH,
            tr.t("meeting.modal.length"),
            number_input(minutes, MIN_MEETING_MINUTES, MAX_MEETING_MINUTES),
        ),
        field(
            WHERE,
            tr.t("meeting.modal.where"),
            text_input(
                location, max_length=500, placeholder=tr.t("meeting.modal.where_placeholder")
            ),
            optional=True,
        ),
    ]


def meeting_modal(
    tr: Translator,
    *,
    group_id: int,
    meeting_id: int | None,
    start: datetime | None,
    minutes: int,
    location: str,
    case_slots: int | None,
    proposal_id: int | None = None,
) -> dict[str, Any]:
    blocks = [
        field(
            START,
            tr.t("meeting.modal.start"),
            datetime_input(start),
            hint=tr.t("meeting.modal.start_hint"),
        ),
        *_length_and_place(tr, minutes, location),
        field(
            SLOTS,
            tr.t("meeting.modal.slots"),
            number_input(case_slots, 1, MAX_SLOTS),
            optional=True,
            hint=tr.t("meeting.modal.slots_hint", slots=default_case_slots(minutes)),
        ),
    ]
    return modal(
        MEETING_MODAL,
        tr.t("meeting.modal.title_move" if meeting_id else "meeting.modal.title_new"),
        tr.t("meeting.modal.save"),
        tr.t("modal.cancel"),
        blocks,
        {"group": group_id, "meeting": meeting_id, "proposal": proposal_id, "lang": tr.language},
    )


def proposal_modal(tr: Translator, *, group_id: int, minutes: int, location: str) -> dict[str, Any]:
    options = [
        field(
            option_block(n),
            tr.t("proposal.modal.option", number=n),
            datetime_input(None),
            optional=n > 2,
        )
        for n in range(1, MAX_OPTIONS + 1)
    ]
    return modal(
        PROPOSAL_MODAL,
        tr.t("proposal.modal.title"),
        tr.t("proposal.modal.save"),
        tr.t("modal.cancel"),
        [*options, *_length_and_place(tr, minutes, location)],
        {"group": group_id, "lang": tr.language},
    )
