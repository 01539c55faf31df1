"""What a coach sees of each group they coach, in their App Home: how far the group runs itself
(counts and the names of who held a role, never what a case was about), the readiness checklist,
and the steps back. The checklist can be posted in the group's channel, so the group sees what
the coach sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from methods.coaching import COACHING, OBSERVING, Check, GroupFacts
from methods.library import methods
from rendering.blocks import Block, button, context, header, section
from rendering.i18n import Translator
from rendering.markup import channel, fmt, join, mentions

COACH_POST = "coach_post"
COACH_STEP_BACK = "coach_step_back"
COACH_HAND_OVER = "coach_hand_over"
COACH_UNDO = "coach_undo"
COACH_THRESHOLDS = "coach_thresholds"
MAX_COACHED = 6


@dataclass(frozen=True)
class CoachLine:
    group_id: int
    name: str
    channel_id: str
    stance: str
    facts: GroupFacts
    checks: tuple[Check, ...]
    recent: int  # the meetings the phases moved on are counted over
    undoable: bool  # the last step can still be undone


def _people(tr: Translator, who: Sequence[str]) -> str:
    return mentions(who) if who else tr.t("coach.nobody_yet")


def fact_lines(tr: Translator, facts: GroupFacts, recent: int) -> list[str]:
    members = len(facts.members)
    method_names = join(", ", (methods()[m].named(tr.language) for m in facts.methods))
    if facts.safety is not None and facts.usefulness is not None:
        evaluation = tr.t(
            "coach.evaluation",
            safety=tr.decimal(facts.safety),
            usefulness=tr.decimal(facts.usefulness),
        )
    else:
        evaluation = tr.t("coach.evaluation_too_few")
    present = join(", ", (str(n) for n in facts.present[-4:])) or "-"
    return [
        tr.t("coach.meetings", count=facts.meetings, present=present, members=members),
        tr.t("coach.chaired", people=_people(tr, facts.chairs)),
        tr.t("coach.kept_time", people=_people(tr, facts.timekeepers)),
        tr.t("coach.brought", count=len(set(facts.owners) & set(facts.members)), members=members),
        tr.t("coach.methods", count=len(facts.methods), names=method_names or "-"),
        tr.t(
            "coach.moves",
            count=recent,
            members=facts.moves_by_members,
            coach=facts.moves_by_coach,
        ),
        evaluation,
        tr.t("coach.goals", count=facts.goals, done=facts.goals_followed_up),
    ]


def check_lines(tr: Translator, checks: Sequence[Check], recent: int) -> str:
    return join(
        "\n",
        (
            fmt(
                "{} {}",
                "✅" if check.holds else "⬜",
                tr.t(f"coach.check.{check.key}", done=check.done, total=check.total, count=recent),
            )
            for check in checks
        ),
    )


def _buttons(tr: Translator, line: CoachLine) -> Block:
    value = str(line.group_id)
    elements = [button(tr.t("coach.post"), COACH_POST, value, "primary")]
    if line.stance == COACHING:
        elements.append(button(tr.t("coach.step_back"), COACH_STEP_BACK, value))
    if line.stance in (COACHING, OBSERVING):
        elements.append(button(tr.t("coach.hand_over"), COACH_HAND_OVER, value))
    if line.undoable:
        elements.append(button(tr.t("coach.undo"), COACH_UNDO, value))
    elements.append(button(tr.t("coach.thresholds"), COACH_THRESHOLDS, value))
    return {"type": "actions", "block_id": f"coach_{line.group_id}", "elements": elements}


def coach_blocks(tr: Translator, lines: Sequence[CoachLine]) -> list[Block]:
    """The App Home's part for a coach: one entry per group they coach."""
    blocks: list[Block] = [section(fmt("*{}*", tr.t("coach.title")))]
    for line in lines[:MAX_COACHED]:
        where = fmt("*{}* · {}", line.name, channel(line.channel_id))
        blocks.append(section(fmt("{}\n{}", where, tr.t(f"coach.stance.{line.stance}"))))
        blocks.append(context(join("\n", fact_lines(tr, line.facts, line.recent))))
        blocks.append(section(check_lines(tr, line.checks, line.recent)))
        blocks.append(_buttons(tr, line))
    if len(lines) > MAX_COACHED:
        blocks.append(context(tr.t("followup.more", count=len(lines) - MAX_COACHED)))
    blocks.append(context(tr.t("coach.hint")))
    return blocks


def readiness_message(
    tr: Translator, group_name: str, coach_id: str, line: CoachLine
) -> dict[str, Any]:
    """The checklist as the coach posts it in the group's channel."""
    title = tr.t("coach.posted_title", name=group_name)
    return {
        "text": title,
        "blocks": [
            header(title),
            section(check_lines(tr, line.checks, line.recent)),
            context(join("\n", fact_lines(tr, line.facts, line.recent))),
            context(tr.t("coach.posted_by", user=mentions([coach_id]))),
        ],
    }
