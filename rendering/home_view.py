"""The App Home tab: a member's groups with their next meetings, their cases, their open goals,
and buttons to bring in a case, plan a meeting or read the help. Stays within Slack's 100 blocks
however many groups and how long a history a member has: each list shows its first items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rendering.blocks import Block, button, context, divider, header, section
from rendering.coach_view import CoachLine, coach_blocks
from rendering.followup_messages import GoalFacts, goal_blocks
from rendering.i18n import Translator
from rendering.markup import channel, fmt, link
from rendering.meeting_facts import MeetingFacts, meeting_details
from rendering.my_cases import NEW_CASE, MyCase, my_cases_blocks

SCHEDULE_FROM_HOME = "home_schedule"
REVIEW_FROM_HOME = "home_review"
HELP_FROM_HOME = "home_help"
MAX_GROUPS = 8
MAX_CASES = 10
MAX_GOALS = 10


@dataclass(frozen=True)
class GroupLine:
    group_id: int
    name: str
    channel_id: str
    next_meeting: MeetingFacts | None
    running: bool = False  # a meeting is under way
    thread_link: str | None = None  # its thread, where Slack gave the address


def _groups(tr: Translator, groups: Sequence[GroupLine]) -> list[Block]:
    if not groups:
        return [section(tr.t("home.no_groups"))]
    blocks: list[Block] = []
    for group in groups[:MAX_GROUPS]:
        if group.running:
            where = link(group.thread_link or "", tr.t("home.open_thread"))
            planned = tr.t("home.running", where=where if group.thread_link else "")
        elif group.next_meeting:
            planned = meeting_details(tr, group.next_meeting)
        else:
            planned = tr.t("group.no_meeting_planned")
        blocks.append(section(fmt("*{}* · {}\n{}", group.name, channel(group.channel_id), planned)))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"home_group_{group.group_id}",
                "elements": [
                    button(tr.t("home.schedule"), SCHEDULE_FROM_HOME, str(group.group_id)),
                    button(tr.t("review.button"), REVIEW_FROM_HOME, str(group.group_id)),
                ],
            }
        )
    if len(groups) > MAX_GROUPS:
        blocks.append(context(tr.t("followup.more", count=len(groups) - MAX_GROUPS)))
    return blocks


def home_view(
    tr: Translator,
    groups: Sequence[GroupLine],
    cases: Sequence[MyCase],
    goals: Sequence[GoalFacts],
    coached: Sequence[CoachLine] = (),
) -> dict[str, Any]:
    case_blocks = my_cases_blocks(tr, cases[:MAX_CASES])
    if len(cases) > MAX_CASES:
        case_blocks.append(context(tr.t("followup.more", count=len(cases) - MAX_CASES)))
    blocks = [
        header(tr.t("home.title")),
        section(tr.t("home.welcome")),
        {
            "type": "actions",
            "elements": [
                button(tr.t("case.new_button"), NEW_CASE, "home", "primary"),
                button(tr.t("home.help"), HELP_FROM_HOME, "home"),
            ],
        },
        divider(),
        section(fmt("*{}*", tr.t("home.groups"))),
        *_groups(tr, groups),
        divider(),
        *([*coach_blocks(tr, coached), divider()] if coached else []),
        section(fmt("*{}*", tr.t("case.mine_title"))),
        *case_blocks,
        divider(),
        section(fmt("*{}*", tr.t("home.goals"))),
        *goal_blocks(tr, goals, MAX_GOALS),
        context(tr.t("home.help_hint")),
        context(tr.t("home.panel_hint")),
    ]
    return {"type": "home", "blocks": blocks}
