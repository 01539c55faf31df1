"""Every message, modal and Home view the bot builds, in Dutch and in English, with the longest
inputs people can give, passes Slack's Block Kit rules; and those rules refuse what Slack
refuses (a repeated action_id in one block was how the goal check-in broke)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import rendering.blocks
from handlers.commands.intervisie import SUBCOMMANDS
from methods.attendance import Attended
from methods.attendance import Target as AttendanceTarget
from methods.cases import CaseFields
from methods.groups import GroupFields
from methods.library import methods
from methods.working_hours import WorkingHours
from rendering import attendance_messages as attendance
from rendering import (
    case_lines,
    case_modal,
    channel_messages,
    help_message,
    method_views,
    my_cases,
    privacy_messages,
    reminder_messages,
    run_messages,
    run_modals,
    verify_message,
)
from rendering import followup_messages as followup
from rendering import meeting_modal as meeting_forms
from rendering.attendance_files import Proof, Verified
from rendering.blocks import fit
from rendering.group_modal import default_rules, group_modal, showing_rules
from rendering.group_panel import PanelFacts, group_panel
from rendering.group_summary import group_summary
from rendering.home_view import GroupLine, home_view
from rendering.hours_modal import hours_modal
from rendering.i18n import Translator
from rendering.installed_message import installed_message
from rendering.meeting_announcement import announcement
from rendering.meeting_facts import MeetingFacts
from rendering.meetings_list import meetings_list
from rendering.poll_message import OptionFacts, PollFacts, poll_message
from rendering.welcome_message import welcome_message
from tests.slackkit.blockkit import message_problems, view_problems

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime(2027, 1, 26, 18, 30, tzinfo=UTC)
# The longest a person can make each: Slack's limits must hold for them too.
GROUP = "Intervisiegroep zelfstandige coaches en trainers regio Utrecht-Amersfoort en omstr"[:80]
TITLE = "Een opdrachtgever die steeds opnieuw de deadlines verschuift en dan toch op tijd wil"
LONG = "Lang verhaal met <tags> & tekens, " * 100
MEMBERS = ("U0ANNA", "U0BRAM", "U0CHLOE", "U0DEV", "U0EVA", "U0FAY")
CASE = CaseFields(TITLE, LONG[:3000], LONG[:1000], "incident", "incident", "high", None)
MEETING = MeetingFacts(7, GROUP, START, 120, "https://meet.example/" + "x" * 400, 2, AMSTERDAM)
FIELDS = GroupFields(GROUP, MEMBERS, "U0ANNA", 8, 120, "nl", "Europe/Amsterdam", LONG[:3000])
LINES = [
    case_lines.CaseLine(
        i, TITLE, MEMBERS[i % 6], "incident", "high", "incident", 50, MEMBERS, i < 2
    )
    for i in range(12)
]
GOALS = [
    followup.GoalFacts(i, TITLE, GROUP, LONG[:1000], status, START.date(), i % 2 == 0, LONG[:2000])
    for i, status in enumerate(("asked", "open", "achieved", "partly") * 15)
]
MY_CASES = [my_cases.MyCase(i, TITLE, GROUP, "26 januari", "submitted", True) for i in range(60)]
INCIDENT = methods()["incident"]


def run(phase: int, collected: int = 5) -> run_messages.RunFacts:
    ends = START + timedelta(minutes=15)
    return run_messages.RunFacts(
        1, TITLE, "U0BRAM", INCIDENT, phase, ends, False, False, "U0ANNA", "U0DEV", collected,
        AMSTERDAM,
    )  # fmt: skip


def verified(replaced: bool) -> Verified:
    held = Attended(3, GROUP, START, START + timedelta(minutes=95), 95, ("incident",) * 3, 2)
    proof = Proof("Zoë " + "de " * 30, GROUP, held, MEMBERS, 5, "R" * 16, START, AMSTERDAM)
    return Verified(proof, "ABCD" * 4, 1, START if replaced else None)


Surface = Callable[[Translator], dict[str, Any]]

MESSAGES: dict[str, Surface] = {
    "attendance_messages.overview_reply": lambda tr: attendance.overview_reply(tr, LONG, True),
    "case_lines.thread_post": lambda tr: case_lines.thread_post(tr, "U0BRAM", CASE),
    "channel_messages.channel_back_message": lambda tr: channel_messages.channel_back_message(
        tr, "C0NOORD"
    ),
    "channel_messages.channel_lost_message": lambda tr: channel_messages.channel_lost_message(
        tr, "C0NOORD", "is_archived"
    ),
    "channel_messages.unreachable_note": lambda tr: channel_messages.unreachable_note(tr, "U0BRAM"),
    "followup_messages.evaluation_request": lambda tr: followup.evaluation_request(tr, 3, GROUP),
    "followup_messages.evaluation_results": lambda tr: followup.evaluation_results(
        tr, GROUP, 4.25, 3.5, 6, [LONG[:500]] * 6
    ),
    "followup_messages.follow_up_request": lambda tr: followup.follow_up_request(tr, GOALS[1]),
    "followup_messages.follow_up_recorded": lambda tr: followup.follow_up_recorded(tr, GOALS[3]),
    "followup_messages.goals_message": lambda tr: followup.goals_message(tr, GOALS),
    "followup_messages.takeaway_request": lambda tr: followup.takeaway_request(tr, 1, TITLE, True),
    "followup_messages.takeaway_saved": lambda tr: followup.takeaway_saved(tr, TITLE),
    "group_panel.group_panel": lambda tr: group_panel(tr, PanelFacts(1, GROUP, MEETING, True)),
    "group_summary.group_summary": lambda tr: group_summary(
        tr, 1, FIELDS, [replace(MEETING, meeting_id=i) for i in range(10)]
    ),
    "help_message.help_message": lambda tr: help_message.help_message(tr, list(SUBCOMMANDS)),
    "help_message.unknown_subcommand_message": lambda tr: help_message.unknown_subcommand_message(
        tr, LONG[:200]
    ),
    "installed_message.installed_message": installed_message,
    "meeting_announcement.announcement": lambda tr: announcement(tr, MEETING, "moved", "U0ANNA"),
    "meetings_list.meetings_list": lambda tr: meetings_list(
        tr, GROUP, [replace(MEETING, meeting_id=i) for i in range(30)]
    ),
    "method_views.method_preview": lambda tr: method_views.method_preview(tr, INCIDENT, 1),
    "method_views.methods_list": lambda tr: method_views.methods_list(tr, list(methods().values())),
    "my_cases.consent_answered_message": lambda tr: my_cases.consent_answered_message(
        tr, TITLE, True
    ),
    "my_cases.consent_message": lambda tr: my_cases.consent_message(tr, 1, TITLE, "nu", True),
    "my_cases.my_cases_message": lambda tr: my_cases.my_cases_message(tr, MY_CASES),
    "my_cases.rolled_over_message": lambda tr: my_cases.rolled_over_message(tr, TITLE, "nu", True),
    "poll_message.poll_message": lambda tr: poll_message(
        tr,
        PollFacts(
            1,
            True,
            GROUP,
            "U0ANNA",
            120,
            LONG[:500],
            tuple(OptionFacts(i, START + timedelta(days=i), MEMBERS) for i in range(5)),
            None,
            None,
            AMSTERDAM,
        ),
    ),
    "privacy_messages.forget_me_prompt": lambda tr: privacy_messages.forget_me_prompt(
        tr, {"groups": 2, "cases": 3, "contributions": 40, "takeaways": 2, "evaluations": 4}
    ),
    "privacy_messages.forgotten_message": privacy_messages.forgotten_message,
    "reminder_messages.agenda_message": lambda tr: reminder_messages.agenda_message(
        tr, MEETING, LINES, MEMBERS, "https://example.com/rules", "U0ANNA"
    ),
    "reminder_messages.case_request_message": lambda tr: reminder_messages.case_request_message(
        tr, MEETING
    ),
    "reminder_messages.no_case_noted_message": lambda tr: reminder_messages.no_case_noted_message(
        tr, MEETING
    ),
    "reminder_messages.start_message": lambda tr: reminder_messages.start_message(
        tr,
        MEETING,
        reminder_messages.agenda_message(tr, MEETING, LINES, MEMBERS, "https://x", None),
        soon=True,
    ),
    "run_messages.closed_round": lambda tr: run_messages.closed_round(
        tr, run(3), [LONG[:1000]] * 40
    ),
    "run_messages.closing_message": lambda tr: run_messages.closing_message(tr, GROUP),
    "run_messages.closing_soon_message": lambda tr: run_messages.closing_soon_message(
        tr, run(3), 4
    ),
    "run_messages.nudge_message": lambda tr: run_messages.nudge_message(tr, run(2), "C0NOORD"),
    "run_messages.opening_message": lambda tr: run_messages.opening_message(
        tr,
        GROUP,
        [TITLE] * 4,
        LONG[:2000],
        opened_by="U0ANNA",
        presence=attendance.presence_blocks(tr, 3, MEMBERS, None)
        + attendance.presence_blocks(tr, 3, MEMBERS, attendance.Recorded(95, 2, "U0ANNA")),
    ),
    "run_messages.owner_summary": lambda tr: run_messages.owner_summary(
        tr, TITLE, [(phase, [LONG[:1000]] * 20) for phase in INCIDENT.phases]
    ),
    "run_messages.parent_message": lambda tr: run_messages.parent_message(tr, run(2)),
    "run_messages.phase_prompt": lambda tr: run_messages.phase_prompt(
        tr, run(3), run_messages.heads_up_note(tr, run(3), 2)
    ),
    "run_messages.time_up_message": lambda tr: run_messages.time_up_message(tr, run(2)),
    "verify_message.verification_message": lambda tr: verify_message.verification_message(
        tr, verified(True)
    ),
    "welcome_message.welcome_message": lambda tr: welcome_message(
        tr, FIELDS, public=True, missing=MEMBERS
    ),
}

VIEWS: dict[str, Surface] = {
    "attendance_messages.attendance_modal": lambda tr: attendance.attendance_modal(
        tr, 3, GROUP, "2027-01-26", MEMBERS, 95
    ),
    "attendance_messages.target_modal": lambda tr: attendance.target_modal(tr, AttendanceTarget()),
    "case_modal.case_modal": lambda tr: case_modal.case_modal(
        tr,
        [case_modal.Target(f"m:{i}", i % 3, f"{GROUP} {i % 3}", "26 januari") for i in range(30)],
        chosen_target="m:1",
        fields=CASE,
        case_id=1,
    ),
    "followup_messages.evaluation_modal": lambda tr: followup.evaluation_modal(tr, 3, {}),
    "followup_messages.goal_modal": lambda tr: followup.goal_modal(tr, 1, "partly", {}, LONG[:999]),
    "followup_messages.takeaway_modal": lambda tr: followup.takeaway_modal(tr, 1, {}),
    "group_modal.group_modal": lambda tr: group_modal(tr, FIELDS, channel_id="C0NOORD", group_id=1),
    "group_modal.showing_rules": lambda tr: showing_rules(
        group_modal(tr, FIELDS, channel_id="C0NOORD", group_id=None), default_rules("en"), "en"
    ),
    "help_message.help_modal": lambda tr: help_message.help_modal(tr, list(SUBCOMMANDS)),
    "home_view.home_view": lambda tr: home_view(
        tr, [GroupLine(i, GROUP, f"C{i:04d}", MEETING) for i in range(20)], MY_CASES, GOALS
    ),
    "hours_modal.hours_modal": lambda tr: hours_modal(tr, WorkingHours(AMSTERDAM)),
    "meeting_modal.meeting_modal": lambda tr: meeting_forms.meeting_modal(
        tr, group_id=1, meeting_id=2, start=START, minutes=120, location=LONG[:500], case_slots=2
    ),
    "meeting_modal.proposal_modal": lambda tr: meeting_forms.proposal_modal(
        tr, group_id=1, minutes=120, location=LONG[:500]
    ),
    "method_views.durations_modal": lambda tr: method_views.durations_modal(tr, INCIDENT, 1),
    "my_cases.case_view_modal": lambda tr: my_cases.case_view_modal(tr, CASE),
    "run_modals.contribution_modal": lambda tr: run_modals.contribution_modal(
        tr, 1, 2, "questions"
    ),
    "run_modals.roles_modal": lambda tr: run_modals.roles_modal(tr, 1, "U0ANNA", None),
    "verify_message.verified_view": lambda tr: verify_message.verified_view(tr, verified(False)),
    "verify_message.verify_modal": lambda tr: verify_message.verify_modal(tr, 1),
}

# Builders of a part of a surface, or of no Block Kit at all, checked through their callers.
PARTS = {"blocks", "forms", "attendance_messages.record_blocks", "case_modal.method_options"}


def builders() -> set[str]:
    """Every public function in rendering/ that returns a message or a view."""
    found = set()
    for module_info in pkgutil.iter_modules(rendering.__path__):
        module = importlib.import_module(f"rendering.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            if inspect.signature(function).return_annotation == "dict[str, Any]":
                found.add(f"{module_info.name}.{name}")
    return {name for name in found if name not in PARTS and name.split(".")[0] not in PARTS}


def test_every_builder_of_a_message_or_view_is_checked_here() -> None:
    assert builders() == set(MESSAGES) | set(VIEWS)


def texts_in(part: object) -> list[str]:
    """Every string a surface holds (text, labels, values...)."""
    if isinstance(part, str):
        return [part]
    if isinstance(part, dict):
        return [t for value in part.values() for t in texts_in(value)]
    if isinstance(part, list):
        return [t for value in part for t in texts_in(value)]
    return []


SLACK_DATE = re.compile(r"<!date\^[^>]*>")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
ESCAPED_MARKUP = re.compile(r"&lt;[!@#]")


def misread(surface: dict[str, Any]) -> list[str]:
    """What members would see wrong: the bot's own markup shown escaped (a mention or a date as
    `&lt;@U...`), or a placeholder nobody filled in."""
    wrong = []
    for text in texts_in(surface):
        if ESCAPED_MARKUP.search(text):
            wrong.append(f"escaped markup: {text[:80]}")
        if PLACEHOLDER.search(SLACK_DATE.sub("", text)):
            wrong.append(f"unfilled placeholder: {text[:80]}")
    return wrong


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_passes_slack_s_rules(name: str, language: str) -> None:
    message = MESSAGES[name](Translator(language))

    assert message_problems(message) == []
    assert misread(message) == []
    assert message.get("text"), "a message needs its notification text"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_passes_slack_s_rules_and_no_title_is_cut(name: str, language: str) -> None:
    view = VIEWS[name](Translator(language))

    assert view_problems(view) == []
    assert misread(view) == []
    cut = [
        part for part in ("title", "submit", "close") if part in view and "…" in view[part]["text"]
    ]
    assert not cut, f"{cut} must fit in Slack's 24 characters as written, not be cut"


def test_slack_refuses_a_repeated_action_id_in_one_block() -> None:
    buttons = [
        {"type": "button", "text": {"type": "plain_text", "text": t}, "action_id": "same"}
        for t in ("Achieved", "Partly")
    ]
    message = {"text": "How did it go?", "blocks": [{"type": "actions", "elements": buttons}]}

    assert message_problems(message) == [
        "blocks[0]: action_id 'same' is used more than once in this block"
    ]


def test_slack_refuses_what_breaks_its_limits() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    same = {"type": "divider", "block_id": "b"}
    assert message_problems({"text": "t", "blocks": [header, same, same]}) == [
        "blocks[0].text: text is 151 characters, at most 150",
        "blocks: block_id 'b' is used more than once",
    ]
    assert message_problems({"text": "t", "blocks": [{"type": "divider"}] * 51}) == [
        "blocks: 51, at most 50"
    ]
    title = {"type": "plain_text", "text": "Feedback op de bijeenkomst"}
    assert view_problems({"type": "modal", "title": title, "blocks": []}) == [
        "title: text is 26 characters, at most 24"
    ]
    empty = {"type": "section", "text": {"type": "mrkdwn", "text": ""}}
    assert message_problems({"text": "t", "blocks": [empty]}) == [
        "blocks[0].text: text must not be empty"
    ]


def test_a_text_too_long_for_slack_is_cut_after_a_whole_word() -> None:
    assert fit("Feedback op de bijeenkomst", 24) == "Feedback op de…"
    assert fit("Feedback", 24) == "Feedback"
    assert fit("Donaudampfschifffahrtsgesellschaft", 10) == "Donaudamp…"


def test_the_check_sees_what_a_member_would_misread() -> None:
    wrong = {"blocks": [{"text": {"type": "mrkdwn", "text": "Hi &lt;@U0ANNA&gt;, {name}"}}]}
    assert len(misread(wrong)) == 2
    right = {"text": "<!date^1796278680^{date_long_pretty} at {time}|1 Dec> with &lt;tags&gt;"}
    assert misread(right) == []
