"""After the meeting: the owner's takeaways and goal, the follow-up before the next meeting, the
members' evaluation, and `/intervisie goals`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rendering.blocks import Block, asking, button, context, header, section
from rendering.forms import field, modal, option, text_input
from rendering.i18n import Translator
from rendering.markup import fmt, join, mention

WRITE_TAKEAWAY = "takeaway_write"
UPDATE_GOAL = "goal_update"
EVALUATE = "meeting_evaluate"
TAKEAWAY_MODAL = "takeaway_modal"
GOAL_MODAL = "goal_modal"
EVALUATION_MODAL = "evaluation_modal"
GOAL_STATUSES = ("achieved", "partly", "not_yet", "irrelevant")
# One button per answer, each with its own action_id (Slack refuses a block that repeats one).
FOLLOW_UP_PREFIX = "goal_follow_up_"
FOLLOW_UP_ACTIONS = {f"{FOLLOW_UP_PREFIX}{status}": status for status in GOAL_STATUSES}
LEARNED, ATTENTION, GOAL, TARGET, SHARE = "learned", "attention", "goal", "target", "share"
STATUS, REFLECTION = "status", "reflection"
SAFETY, USEFULNESS, REMARK, REMARK_SHARED = "safety", "usefulness", "remark", "remark_shared"


@dataclass(frozen=True)
class GoalFacts:
    takeaway_id: int
    case_title: str
    group_name: str
    goal: str | None
    status: str
    target_date: date | None
    shared: bool
    learned: str | None = None
    reflection: str | None = None


def takeaway_request(tr: Translator, takeaway_id: int, title: str, nudge: bool) -> dict[str, Any]:
    text = tr.t("followup.nudge" if nudge else "followup.thanks", title=title)
    write = button(tr.t("followup.write"), WRITE_TAKEAWAY, str(takeaway_id), "primary")
    return asking(text, [write], tr.t("followup.private"))


def takeaway_saved(tr: Translator, title: str) -> dict[str, Any]:
    text = tr.t("followup.saved", title=title)
    return {"text": text, "blocks": [section(text)]}


def takeaway_modal(tr: Translator, takeaway_id: int, where: dict[str, str]) -> dict[str, Any]:
    share: Block = {
        "type": "checkboxes",
        "options": [option(tr.t("followup.share"), "share")],
    }
    blocks = [
        field(LEARNED, tr.t("followup.learned"), text_input(None, max_length=2000, multiline=True)),
        field(
            ATTENTION, tr.t("followup.attention"), text_input(None, max_length=2000, multiline=True)
        ),
        field(GOAL, tr.t("followup.goal"), text_input(None, max_length=1000, multiline=True)),
        field(TARGET, tr.t("followup.target"), {"type": "datepicker"}, optional=True),
        field(
            SHARE,
            tr.t("followup.share_label"),
            share,
            optional=True,
            hint=tr.t("followup.share_hint"),
        ),
    ]
    return modal(
        TAKEAWAY_MODAL,
        tr.t("followup.modal_title"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        blocks,
        {"takeaway": takeaway_id, "lang": tr.language, **where},
    )


def _sharing_note(tr: Translator, shared: bool) -> str:
    return tr.t("followup.shared_note" if shared else "followup.private_note")


def follow_up_request(tr: Translator, goal: GoalFacts) -> dict[str, Any]:
    """Before the next meeting: how did the goal go? One click answers."""
    text = tr.t("followup.how_did_it_go", group=goal.group_name, goal=goal.goal or goal.case_title)
    answers = [
        button(tr.t(f"followup.status.{status}"), action, str(goal.takeaway_id))
        for action, status in FOLLOW_UP_ACTIONS.items()
    ]
    return asking(text, answers, _sharing_note(tr, goal.shared))


def follow_up_recorded(tr: Translator, goal: GoalFacts) -> dict[str, Any]:
    """The check-in once answered: what was noted, and a way to add a reflection or change it."""
    text = tr.t(
        "followup.recorded",
        goal=goal.goal or goal.case_title,
        status=tr.t(f"followup.status.{goal.status}"),
    )
    if goal.reflection:
        text = fmt("{}\n_{}_", text, goal.reflection)
    more = "followup.change" if goal.reflection else "followup.reflect"
    change = button(tr.t(more), UPDATE_GOAL, str(goal.takeaway_id))
    return asking(text, [change], _sharing_note(tr, goal.shared))


def goal_modal(
    tr: Translator,
    takeaway_id: int,
    status: str | None,
    where: dict[str, str],
    reflection: str | None = None,
) -> dict[str, Any]:
    options = [option(tr.t(f"followup.status.{s}"), s) for s in GOAL_STATUSES]
    element: Block = {"type": "radio_buttons", "options": options}
    if status in GOAL_STATUSES:
        element["initial_option"] = option(tr.t(f"followup.status.{status}"), status)
    blocks = [
        field(STATUS, tr.t("followup.status_label"), element),
        field(
            REFLECTION,
            tr.t("followup.reflection"),
            text_input(reflection, max_length=1000),
            optional=True,
        ),
    ]
    return modal(
        GOAL_MODAL,
        tr.t("followup.goal_title"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        blocks,
        {"takeaway": takeaway_id, "lang": tr.language, **where},
    )


def evaluation_request(tr: Translator, meeting_id: int, group_name: str) -> dict[str, Any]:
    text = tr.t("evaluation.request", name=group_name)
    evaluate = button(tr.t("evaluation.button"), EVALUATE, str(meeting_id), "primary")
    return asking(text, [evaluate], tr.t("evaluation.anonymous"))


def evaluation_modal(tr: Translator, meeting_id: int, where: dict[str, str]) -> dict[str, Any]:
    def scale(block_id: str, label: str) -> Block:
        return field(
            block_id,
            tr.t(label),
            {"type": "radio_buttons", "options": [option(str(n), str(n)) for n in range(1, 6)]},
            hint=tr.t("evaluation.scale_hint"),
        )

    return modal(
        EVALUATION_MODAL,
        tr.t("evaluation.title"),
        tr.t("evaluation.send"),
        tr.t("modal.cancel"),
        [
            scale(SAFETY, "evaluation.safety"),
            scale(USEFULNESS, "evaluation.usefulness"),
            field(
                REMARK,
                tr.t("evaluation.remark"),
                text_input(None, max_length=500, multiline=True),
                optional=True,
            ),
            field(
                REMARK_SHARED,
                tr.t("evaluation.share_label"),
                {
                    "type": "checkboxes",
                    "options": [option(tr.t("evaluation.share_remark"), "share")],
                },
                optional=True,
                hint=tr.t("evaluation.share_hint"),
            ),
        ],
        {"meeting": meeting_id, "lang": tr.language, **where},
    )


def evaluation_results(
    tr: Translator,
    group_name: str,
    safety: float,
    usefulness: float,
    count: int,
    remarks: Sequence[str],
) -> dict[str, Any]:
    title = tr.t("evaluation.results_title", name=group_name)
    lines = tr.t(
        "evaluation.results",
        count=count,
        safety=tr.decimal(safety),
        usefulness=tr.decimal(usefulness),
    )
    blocks = [header(title), section(lines)]
    if remarks:
        blocks.append(section(join("\n", (fmt("• {}", r) for r in remarks))))
    blocks.append(context(tr.t("evaluation.results_note")))
    return {"text": title, "blocks": blocks}


def goal_line(tr: Translator, goal: GoalFacts) -> str:
    target = (
        fmt(" · {}", tr.t("followup.by", date=tr.date(goal.target_date)))
        if goal.target_date
        else ""
    )
    status = tr.t(f"followup.status.{goal.status}")
    line = tr.t(
        "followup.goal_line",
        title=goal.case_title,
        group=goal.group_name,
        goal=goal.goal or tr.t("followup.no_goal"),
        status=status,
        target=target,
    )
    if goal.learned:
        line = fmt("{}\n{}", line, tr.t("followup.learned_line", learned=goal.learned[:300]))
    return line


def goal_blocks(tr: Translator, goals: Sequence[GoalFacts], limit: int) -> list[Block]:
    if not goals:
        return [section(tr.t("followup.none"))]
    blocks: list[Block] = []
    for goal in goals[:limit]:
        block = section(goal_line(tr, goal))
        if goal.status != "asked":
            block["accessory"] = button(tr.t("followup.update"), UPDATE_GOAL, str(goal.takeaway_id))
        else:
            block["accessory"] = button(
                tr.t("followup.write"), WRITE_TAKEAWAY, str(goal.takeaway_id)
            )
        blocks.append(block)
    if len(goals) > limit:
        blocks.append(context(tr.t("followup.more", count=len(goals) - limit)))
    return blocks


def goals_message(tr: Translator, goals: Sequence[GoalFacts]) -> dict[str, Any]:
    title = tr.t("followup.goals_title")
    return {"text": title, "blocks": [header(title), *goal_blocks(tr, goals, 40)]}


def shared_follow_ups(
    tr: Translator, shared: Sequence[tuple[str, str, str, str | None]], private: int
) -> str:
    """For the opening round: (owner, goal, status, reflection) of what owners chose to share."""
    lines = [
        tr.t(
            "followup.shared_line",
            owner=mention(owner),
            goal=goal,
            status=tr.t(f"followup.status.{status}"),
            reflection=fmt(" · _{}_", reflection) if reflection else "",
        )
        for owner, goal, status, reflection in shared
    ]
    if private:
        lines.append(tr.t("followup.private_count", count=private))
    return join("\n", lines)
