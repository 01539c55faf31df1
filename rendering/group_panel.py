"""The group's pinned panel: the few buttons a member needs now (bring in a case, plan, start,
*I'm here* while a meeting runs) and everything else under *More*. Members of other
organisations in a shared channel cannot use `/intervisie` (Slack delivers a slash command only
from a workspace that installed the app), so every subcommand is here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rendering.attendance_messages import PRESENT
from rendering.blocks import Block, button, context, header, plain, section
from rendering.coach_messages import runs_itself_line
from rendering.forms import option
from rendering.i18n import Translator
from rendering.markup import fmt
from rendering.meeting_facts import MeetingFacts
from rendering.times import slack_time

PANEL_PREFIX = "panel:"
PANEL_MORE = "panel_more"  # the *More* menu: its options carry "what:group id"
# What each button or menu option does as `/intervisie <subcommand> <argument>`.
PANEL_ACTIONS: dict[str, tuple[str, str]] = {
    "case": ("case", ""),
    "cases": ("cases", ""),
    "methods": ("methods", ""),
    "group": ("group", ""),
    "schedule": ("schedule", ""),
    "propose": ("propose", ""),
    "meetings": ("meetings", ""),
    "start": ("start", ""),
    "start-async": ("start", "async"),
    "goals": ("goals", ""),
    "hours": ("hours", ""),
    "attendance": ("attendance", ""),
    "history": ("history", ""),
    "review": ("review", ""),
    "verify": ("verify", ""),
    "export": ("export", ""),
    "forget-me": ("forget-me", ""),
    "help": ("help", ""),
    "tips": ("tips", ""),
    "call-coach": ("call-coach", ""),
}
# The few a member needs now are buttons; everything else is under *More*, by theme.
THEMES: dict[str, tuple[str, ...]] = {
    "cases": ("case", "cases", "methods", "tips"),
    "meetings": ("schedule", "propose", "meetings", "start", "start-async", "review", "history"),
    "you": (
        "goals",
        "hours",
        "attendance",
        "verify",
        "group",
        "call-coach",
        "export",
        "forget-me",
        "help",
    ),
}
START = ("start", "start-async")


@dataclass(frozen=True)
class PanelFacts:
    group_id: int
    group_name: str
    next_meeting: MeetingFacts | None
    # The next meeting can be opened now (from a day ahead until it would end): starting it
    # comes first.
    startable: bool
    running_meeting_id: int | None = None  # a meeting under way: *I'm here* comes first
    runs_itself_since: date | None = None  # the day the coach handed the group over


def _button(tr: Translator, facts: PanelFacts, what: str, style: str | None = None) -> Block:
    return button(tr.t(f"panel.button.{what}"), f"{PANEL_PREFIX}{what}", str(facts.group_id), style)


def _more(tr: Translator, facts: PanelFacts, shown: tuple[str, ...]) -> Block:
    """Everything not shown as a button; starting only while a meeting can start."""
    left_out = (*shown, *(() if facts.startable and facts.next_meeting else START))
    if facts.runs_itself_since is None:
        left_out = (*left_out, "call-coach")  # only a coach who handed over can be called back
    return {
        "type": "static_select",
        "action_id": PANEL_MORE,
        "placeholder": plain(tr.t("panel.more")),
        "option_groups": [
            {
                "label": plain(tr.t(f"panel.row.{theme}")),
                "options": [
                    option(tr.t(f"panel.button.{what}"), f"{what}:{facts.group_id}")
                    for what in whats
                    if what not in left_out
                ],
            }
            for theme, whats in THEMES.items()
        ],
    }


def group_panel(tr: Translator, facts: PanelFacts) -> dict[str, Any]:
    title = tr.t("panel.title", name=facts.group_name)
    blocks: list[Block] = [header(title)]
    meeting = facts.next_meeting
    first: Block | None = None  # the one button that matters most now, if not one of ours
    if facts.running_meeting_id is not None:
        blocks.append(section(fmt("*{}*", tr.t("panel.running"))))
        here = str(facts.running_meeting_id)
        first = button(tr.t("attendance.button"), PRESENT, here, "primary")
        shown: tuple[str, ...] = ("case",)
    elif meeting is not None and facts.startable:
        when = slack_time(meeting.starts_at, meeting.tz, tr)
        blocks.append(section(fmt("*{}*", tr.t("panel.today", when=when))))
        shown = ("start", "case")
    else:
        if meeting is not None:
            when = slack_time(meeting.starts_at, meeting.tz, tr)
            blocks.append(section(tr.t("panel.next", when=when)))
        else:
            blocks.append(section(tr.t("panel.no_meeting")))
        shown = ("case", "schedule")
    buttons = [
        _button(tr, facts, what, "primary" if n == 0 and first is None else None)
        for n, what in enumerate(shown)
    ]
    elements = [*([first] if first else []), *buttons, _more(tr, facts, shown)]
    blocks.append({"type": "actions", "block_id": "panel_now", "elements": elements})
    if facts.runs_itself_since is not None:
        blocks.append(context(runs_itself_line(tr, facts.runs_itself_since)))
    blocks.append(context(tr.t("panel.intro")))
    return {"text": title, "blocks": blocks}
