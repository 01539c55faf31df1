"""The cases on the agenda: one line each, with votes, and the button that confirms the choice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from methods.cases import CaseFields
from methods.library import methods
from rendering.blocks import Block, button, confirm_dialog, context, section
from rendering.i18n import Translator
from rendering.markup import fmt, mention, mentions

VOTE_CASE = "case_vote"
CONFIRM_CASES = "cases_confirm"


@dataclass(frozen=True)
class CaseLine:
    case_id: int
    title: str
    owner_id: str
    kind: str
    urgency: str
    method: str | None
    minutes: int
    voter_ids: tuple[str, ...]
    chosen: bool


def method_name(tr: Translator, method_id: str | None) -> str:
    method = methods().get(method_id or "")
    return method.named(tr.language) if method else tr.t("case.modal.group_chooses")


def case_summary(tr: Translator, line: CaseLine) -> str:
    return tr.t(
        "case.line",
        title=line.title,
        owner=mention(line.owner_id),
        kind=tr.t(f"case.kind.{line.kind}"),
        urgency=tr.t(f"case.urgency.{line.urgency}"),
        method=method_name(tr, line.method),
        minutes=line.minutes,
    )


def case_blocks(
    tr: Translator, meeting_id: int, cases: Sequence[CaseLine], chosen_by: str | None, slots: int
) -> list[Block]:
    """The case list for the agenda and the start message."""
    if not cases:
        return [section(tr.t("case.none_yet", method=method_name(tr, "successes")))]
    blocks: list[Block] = []
    for line in cases:
        votes = (
            tr.t(
                "case.votes",
                count=len(line.voter_ids),
                people=mentions(line.voter_ids),
            )
            if line.voter_ids
            else tr.t("case.no_votes")
        )
        mark = ":white_check_mark: " if line.chosen else ""
        block = section(fmt("{}{}\n{}", mark, case_summary(tr, line), votes))
        if chosen_by is None:
            block["accessory"] = button(tr.t("case.vote_button"), VOTE_CASE, str(line.case_id))
        blocks.append(block)
    if chosen_by is None:
        confirm = button(tr.t("case.confirm_button"), CONFIRM_CASES, str(meeting_id), "primary")
        confirm["confirm"] = confirm_dialog(
            tr, "case.confirm", tr.t("case.confirm_text", count=slots)
        )
        blocks.append({"type": "actions", "block_id": f"cases:{meeting_id}", "elements": [confirm]})
    else:
        blocks.append(context(tr.t("case.chosen_by", user=mention(chosen_by))))
    return blocks


def case_details(tr: Translator, fields: CaseFields) -> list[Block]:
    """A case in full: for its owner, and for the group's thread once the owner agrees."""
    blocks: list[Block] = [
        section(fmt("*{}*", fields.title)),
        section(fmt("*{}*\n{}", tr.t("case.modal.situation"), fields.situation)),
        section(fmt("*{}*\n{}", tr.t("case.modal.question"), fields.question)),
    ]
    if fields.link:
        blocks.append(context(tr.t("case.link_is", link=fields.link)))
    return blocks


def thread_post(tr: Translator, owner_id: str, fields: CaseFields) -> dict[str, Any]:
    intro = tr.t("case.posted_intro", owner=mention(owner_id))
    return {"text": intro, "blocks": [section(intro), *case_details(tr, fields)]}
