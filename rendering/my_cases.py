"""A member's own cases (in `/intervisie cases` and the App Home), the case in full, and the
DMs about what became of a case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from methods.cases import CaseFields
from rendering.blocks import Block, button, confirm_dialog, context, header, section
from rendering.case_lines import case_details
from rendering.forms import modal
from rendering.i18n import Translator

VIEW_CASE = "case_view"
EDIT_CASE = "case_edit"
WITHDRAW_CASE = "case_withdraw"
NEW_CASE = "case_new"
CONSENT_YES = "case_consent_yes"
CONSENT_NO = "case_consent_no"
CASE_VIEW_MODAL = "case_view_modal"


@dataclass(frozen=True)
class MyCase:
    case_id: int
    title: str
    group_name: str
    when: str
    status: str
    editable: bool


def my_cases_blocks(tr: Translator, cases: Sequence[MyCase]) -> list[Block]:
    if not cases:
        return [section(tr.t("case.mine_none"))]
    blocks: list[Block] = []
    for case in cases[:20]:
        status = tr.t(f"case.status.{case.status}")
        blocks.append(
            section(
                tr.t(
                    "case.mine_line",
                    title=case.title,
                    group=case.group_name,
                    when=case.when,
                    status=status,
                )
            )
        )
        elements = [button(tr.t("case.view_button"), VIEW_CASE, str(case.case_id))]
        if case.editable:
            withdraw = button(
                tr.t("case.withdraw_button"), WITHDRAW_CASE, str(case.case_id), "danger"
            )
            withdraw["confirm"] = confirm_dialog(
                tr, "case.withdraw", tr.t("case.withdraw_text", title=case.title), danger=True
            )
            elements += [button(tr.t("case.edit_button"), EDIT_CASE, str(case.case_id)), withdraw]
        blocks.append({"type": "actions", "block_id": f"mine:{case.case_id}", "elements": elements})
    return blocks


def my_cases_message(tr: Translator, cases: Sequence[MyCase]) -> dict[str, Any]:
    title = tr.t("case.mine_title")
    return {"text": title, "blocks": [header(title), *my_cases_blocks(tr, cases)]}


def case_view_modal(tr: Translator, fields: CaseFields) -> dict[str, Any]:
    view = modal(
        CASE_VIEW_MODAL,
        tr.t("case.view_title"),
        "",
        tr.t("modal.close"),
        case_details(tr, fields),
        {},
    )
    del view["submit"]
    return view


def consent_message(
    tr: Translator, case_id: int, title: str, when: str, starting: bool = False
) -> dict[str, Any]:
    """`starting`: chosen as the meeting starts, so the group reads it during the meeting."""
    key = "case.consent_question_now" if starting else "case.consent_question"
    text = tr.t(key, title=title, when=when)
    return {
        "text": text,
        "blocks": [
            section(text),
            {
                "type": "actions",
                "block_id": f"consent:{case_id}",
                "elements": [
                    button(tr.t("case.consent_yes"), CONSENT_YES, str(case_id), "primary"),
                    button(tr.t("case.consent_no"), CONSENT_NO, str(case_id)),
                ],
            },
            context(tr.t("case.consent_context")),
        ],
    }


def consent_answered_message(tr: Translator, title: str, posted: bool) -> dict[str, Any]:
    text = tr.t("case.consent_posted" if posted else "case.consent_kept", title=title)
    return {"text": text, "blocks": [section(text)]}


def rolled_over_message(
    tr: Translator, title: str, when: str, cancelled: bool = False
) -> dict[str, Any]:
    key = "case.moved_cancelled" if cancelled else "case.rolled_over"
    text = tr.t(key, title=title, when=when)
    return {"text": text, "blocks": [section(text)]}
