"""The group's pinned panel: a button for everything a member does. Members of other
organisations in a shared channel cannot use `/intervisie` (Slack delivers a slash command only
from a workspace that installed the app), so every subcommand is here too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n import Translator
from handlers.blocks import Block, button, context, header, section
from handlers.blocks.meeting_facts import MeetingFacts
from handlers.blocks.times import slack_time

PANEL_PREFIX = "panel:"
# Each button: what it does as `/intervisie <subcommand> <argument>`, in the panel's rows.
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
}
ROWS: dict[str, tuple[str, ...]] = {
    "cases": ("case", "cases", "methods"),
    "meetings": ("schedule", "propose", "meetings", "start", "start-async", "review"),
    "you": (
        "goals",
        "hours",
        "attendance",
        "history",
        "verify",
        "group",
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
    # The next meeting can be opened now (from a day ahead until it would end): the start
    # buttons come first and stand out.
    startable: bool


def _button(tr: Translator, facts: PanelFacts, what: str, style: str | None = None) -> Block:
    return button(tr.t(f"panel.button.{what}"), f"{PANEL_PREFIX}{what}", str(facts.group_id), style)


def _row(tr: Translator, facts: PanelFacts, row: str, skip: tuple[str, ...] = ()) -> list[Block]:
    elements = [_button(tr, facts, what) for what in ROWS[row] if what not in skip]
    return [
        section(f"*{tr.t(f'panel.row.{row}')}*"),
        {"type": "actions", "block_id": f"panel_{row}", "elements": elements},
    ]


def group_panel(tr: Translator, facts: PanelFacts) -> dict[str, Any]:
    title = tr.t("panel.title", name=facts.group_name)
    blocks: list[Block] = [header(title), section(tr.t("panel.intro"))]
    meeting = facts.next_meeting
    if meeting is not None and facts.startable:
        when = slack_time(meeting.starts_at, meeting.tz, tr)
        blocks.append(section(f"*{tr.t('panel.today', when=when)}*"))
        blocks.append(
            {
                "type": "actions",
                "block_id": "panel_start",
                "elements": [
                    _button(tr, facts, "start", "primary"),
                    _button(tr, facts, "start-async"),
                ],
            }
        )
    elif meeting is not None:
        blocks.append(
            section(tr.t("panel.next", when=slack_time(meeting.starts_at, meeting.tz, tr)))
        )
    else:
        blocks.append(section(tr.t("panel.no_meeting")))
    blocks += _row(tr, facts, "cases")
    blocks += _row(tr, facts, "meetings", skip=START if facts.startable and meeting else ())
    blocks += _row(tr, facts, "you")
    blocks.append(context(tr.t("panel.footer")))
    return {"text": title, "blocks": blocks}
