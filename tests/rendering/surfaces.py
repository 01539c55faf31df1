"""Every surface the bot shows people, built as members meet it: each Slack message, modal and
App Home view, each PDF, CSV, chart and web page, in each story of `STORIES`, with realistic
values: the longest text Slack lets people type, names with accents and signs, counts of 0, 1
and 2, and meetings on the nights the clocks change. `tests/rendering/test_every_surface.py`
checks them.

A builder nobody put here fails that test, so a new text is checked without anyone remembering."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matplotlib.text import Text
from pypdf import PdfReader

from bot.pages import (
    PageFacts,
    install_failed_page,
    installed_page,
    landing_page,
    privacy_page,
    verify_page,
)
from handlers.commands.intervisie import SUBCOMMANDS
from methods.attendance import Attended, YearOverview
from methods.attendance import Target as AttendanceTarget
from methods.cases import CaseFields
from methods.coaching import (
    COACHING,
    HAND_OVER,
    OBSERVING,
    STEP_BACK,
    UNDO,
    GroupFacts,
    Thresholds,
    readiness,
)
from methods.groups import GroupFields
from methods.library import methods
from methods.review import GOAL_OUTCOMES, HeldMeeting, YearReview
from methods.working_hours import WorkingHours
from rendering import attendance_messages as attendance
from rendering import (
    case_lines,
    case_modal,
    channel_messages,
    coach_messages,
    coach_modals,
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
from rendering.attendance_files import HistoryRow, Proof, Verified, history_csv
from rendering.attendance_papers import overview_pdf, proof_pdf
from rendering.coach_modals import NOTE_MAX
from rendering.coach_view import CoachLine, readiness_message
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
from rendering.privacy_messages import export_markdown
from rendering.review_chart import review_figure, review_text
from rendering.times import slack_time
from rendering.welcome_message import welcome_message

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MEMBERS = ("U0ANNA", "U0BRAM", "U0CHLOE", "U0DEV", "U0EVA", "U0FAY")
INCIDENT = methods()["incident"]
LONG = "Lang verhaal met <tags> & tekens, " * 100


@dataclass(frozen=True)
class Story:
    """What people typed and what happened, as one group lives it."""

    name: str
    group: str  # the group's name
    title: str  # a case's title
    typed: str  # what a member wrote: a case, advice, a goal
    person: str  # a member's name as Slack gives it
    count: int  # how many of what a surface counts: cases, votes, answers, meetings...
    start: datetime  # the meeting's start

    @property
    def members(self) -> tuple[str, ...]:
        return MEMBERS[: max(self.count, 1)] if self.count < 3 else MEMBERS


STORIES = (
    # The longest a person can make each: Slack's limits must hold for them too.
    Story(
        "longest",
        "Intervisiegroep zelfstandige coaches en trainers regio Utrecht-Amersfoort en omstr"[:80],
        "Een opdrachtgever die steeds opnieuw de deadlines verschuift en dan toch op tijd wil",
        LONG[:3000],
        "Zoë " + "de " * 30,
        12,
        datetime(2027, 1, 26, 18, 30, tzinfo=UTC),
    ),
    Story("none", "Noord", "Eén vraag", "Kort.", "Bram", 0, datetime(2027, 7, 6, 17, tzinfo=UTC)),
    # The night the clocks go forward: 01:30 UTC is 03:30 in Amsterdam.
    Story(
        "one",
        "Café Zoë & Jäger <b>",
        "Één klant, twee petten: „wat nu?”",
        "Ça va? Ik wil *eerlijk* zijn <@U0ANNA> & _dan_ `code` ~weg~ <!here>",
        "Zoë Ağaoğlu",
        1,
        datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
    ),
    # The night the clocks go back: 00:30 UTC is the first 02:30 in Amsterdam.
    Story(
        "two",
        "Groep Ørsted · Ålesund",
        "Señora's dilemma {name} %s",
        "Jürgen zegt: {count} & <https://example.com|klik> — straks.",
        "Jürgen Müller-Lüdenscheidt",
        2,
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
    ),
)


def meeting(s: Story, meeting_id: int = 7) -> MeetingFacts:
    link = "https://meet.example/" + "x" * 400
    return MeetingFacts(meeting_id, s.group, s.start, 120, link, max(1, s.count), AMSTERDAM)


def meetings(s: Story) -> list[MeetingFacts]:
    return [replace(meeting(s, i), starts_at=s.start + timedelta(weeks=i)) for i in range(s.count)]


def case(s: Story) -> CaseFields:
    return CaseFields(s.title, s.typed, s.typed[:1000], "incident", "incident", "high", None)


def fields(s: Story) -> GroupFields:
    return GroupFields(s.group, s.members, MEMBERS[0], 8, 120, "nl", AMSTERDAM.key, s.typed)


def lines(s: Story) -> list[case_lines.CaseLine]:
    return [
        case_lines.CaseLine(
            i, s.title, MEMBERS[i % 6], "incident", "high", "incident", 50, MEMBERS[:i], i < 2
        )
        for i in range(s.count)
    ]


def goals(s: Story) -> list[followup.GoalFacts]:
    statuses = ("asked", "open", "achieved", "partly")
    return [
        followup.GoalFacts(
            i, s.title, s.group, s.typed[:1000], statuses[i % 4], s.start.date(), i % 2 == 0,
            s.typed[:2000],
        )
        for i in range(s.count * 5)
    ]  # fmt: skip


def goal(s: Story, status: str) -> followup.GoalFacts:
    return followup.GoalFacts(1, s.title, s.group, s.typed[:1000], status, s.start.date(), True)


def cases(s: Story) -> list[my_cases.MyCase]:
    return [
        my_cases.MyCase(i, s.title, s.group, "26 januari", "submitted", True)
        for i in range(s.count * 5)
    ]


def run(s: Story, phase: int) -> run_messages.RunFacts:
    """A case of a coached group; from one member on, the coach observes and the group keeps a
    tip (as long as a note can be) for every phase."""
    ends = s.start + timedelta(minutes=15)
    tips = tuple((p.id, s.typed[:NOTE_MAX]) for p in INCIDENT.phases) if s.count else ()
    return run_messages.RunFacts(
        1, s.title, "U0BRAM", INCIDENT, phase, ends, False, False, "U0ANNA", "U0DEV", s.count,
        AMSTERDAM, coached=True, coach_observes=s.count > 0, tips=tips,
    )  # fmt: skip


def coached(s: Story, group_id: int = 1) -> CoachLine:
    """A group its coach sees in the App Home: `count` meetings, roles held by its members."""
    members = s.members
    facts = GroupFacts(
        members=members,
        meetings=s.count,
        chairs=members[: s.count],
        timekeepers=members[: s.count // 2],
        owners=members[: s.count],
        methods=tuple(methods())[: s.count],
        moves_by_members=s.count * 5,
        moves_by_coach=s.count,
        present=tuple(range(s.count)),
        safety=4.25 if s.count > 1 else None,
        usefulness=3.5 if s.count > 1 else None,
        goals=s.count,
        goals_followed_up=s.count // 2,
    )
    thresholds = Thresholds(meetings=max(s.count, 1))
    return CoachLine(
        group_id, s.group, "C0NOORD", COACHING if s.count % 2 else OBSERVING, facts,
        readiness(facts, thresholds), thresholds.meetings, s.count > 0,
    )  # fmt: skip


def attended(s: Story, meeting_id: int = 3) -> Attended:
    ended = s.start + timedelta(minutes=95)
    return Attended(meeting_id, s.group, s.start, ended, 95, ("incident",) * s.count, s.count)


def proof(s: Story) -> Proof:
    return Proof(s.person, s.group, attended(s), s.members, 5, "R" * 16, s.start, AMSTERDAM)


def verified(s: Story, replaced: bool) -> Verified:
    return Verified(proof(s), "ABCD" * 4, 1, s.start if replaced else None)


def overview(s: Story) -> YearOverview:
    held = tuple(attended(s, i) for i in range(s.count))
    return YearOverview(s.start.year, AttendanceTarget(), held, held[:1])


def review(s: Story) -> YearReview:
    held = tuple(
        HeldMeeting(s.start.date() + timedelta(weeks=8 * i), 95, 4, 5, 4.2, 3.9)
        for i in range(s.count)
    )
    outcomes = tuple((outcome, s.count) for outcome in GOAL_OUTCOMES)
    return YearReview(s.group, s.start.year, held, outcomes)


def export(s: Story) -> dict[str, Any]:
    """What `/intervisie export` gathers, in the shape `usecases.privacy.collect` gives it."""
    item = {"id": 1, "title": s.title, "text": s.typed, "at": s.start.isoformat()}
    data: dict[str, Any] = {"user_id": "U0ANNA", "exported_at": s.start.isoformat()}
    for section in privacy_messages.EXPORT_SECTIONS:
        data[section] = [item] * s.count
    return data


def poll(s: Story) -> PollFacts:
    options = tuple(
        OptionFacts(i, s.start + timedelta(days=i), MEMBERS[: s.count]) for i in range(5)
    )
    return PollFacts(1, True, s.group, "U0ANNA", 120, s.typed[:500], options, None, None, AMSTERDAM)


Surface = Callable[[Translator, Story], dict[str, Any]]

MESSAGES: dict[str, Surface] = {
    "attendance_messages.overview_reply": lambda tr, s: attendance.overview_reply(
        tr, s.typed, s.count > 0
    ),
    "case_lines.thread_post": lambda tr, s: case_lines.thread_post(tr, "U0BRAM", case(s)),
    "channel_messages.channel_back_message": lambda tr, s: channel_messages.channel_back_message(
        tr, "C0NOORD"
    ),
    "channel_messages.channel_lost_message": lambda tr, s: channel_messages.channel_lost_message(
        tr, "C0NOORD", "is_archived"
    ),
    "channel_messages.unreachable_note": lambda tr, s: channel_messages.unreachable_note(
        tr, "U0BRAM"
    ),
    "followup_messages.evaluation_request": lambda tr, s: followup.evaluation_request(
        tr, 3, s.group
    ),
    "followup_messages.evaluation_results": lambda tr, s: followup.evaluation_results(
        tr, s.group, 4.25, 3.5, s.count, [s.typed[:500]] * s.count
    ),
    "followup_messages.follow_up_request": lambda tr, s: followup.follow_up_request(
        tr, goal(s, "open")
    ),
    "followup_messages.follow_up_recorded": lambda tr, s: followup.follow_up_recorded(
        tr, goal(s, "partly")
    ),
    "followup_messages.goals_message": lambda tr, s: followup.goals_message(tr, goals(s)),
    "followup_messages.takeaway_request": lambda tr, s: followup.takeaway_request(
        tr, 1, s.title, s.count > 0
    ),
    "followup_messages.takeaway_saved": lambda tr, s: followup.takeaway_saved(tr, s.title),
    "group_panel.group_panel": lambda tr, s: group_panel(
        tr,
        PanelFacts(
            1,
            s.group,
            meeting(s) if s.count else None,
            s.count > 0,
            runs_itself_since=s.start.date() if s.count else None,
        ),
    ),
    "group_summary.group_summary": lambda tr, s: group_summary(tr, 1, fields(s), meetings(s)),
    "help_message.help_message": lambda tr, s: help_message.help_message(tr, list(SUBCOMMANDS)),
    "help_message.unknown_subcommand_message": (
        lambda tr, s: help_message.unknown_subcommand_message(tr, s.typed[:200])
    ),
    "installed_message.installed_message": lambda tr, s: installed_message(tr),
    "meeting_announcement.announcement": lambda tr, s: announcement(
        tr, meeting(s), "moved", "U0ANNA"
    ),
    "meetings_list.meetings_list": lambda tr, s: meetings_list(tr, s.group, meetings(s)),
    "method_views.method_preview": lambda tr, s: method_views.method_preview(tr, INCIDENT, 1),
    "method_views.methods_list": lambda tr, s: method_views.methods_list(
        tr, list(methods().values())
    ),
    "my_cases.consent_answered_message": lambda tr, s: my_cases.consent_answered_message(
        tr, s.title, s.count > 0
    ),
    "my_cases.consent_message": lambda tr, s: my_cases.consent_message(
        tr, 1, s.title, "nu", s.count > 0
    ),
    "my_cases.my_cases_message": lambda tr, s: my_cases.my_cases_message(tr, cases(s)),
    "my_cases.rolled_over_message": lambda tr, s: my_cases.rolled_over_message(
        tr, s.title, "nu", s.count > 0
    ),
    "poll_message.poll_message": lambda tr, s: poll_message(tr, poll(s)),
    "privacy_messages.forget_me_prompt": lambda tr, s: privacy_messages.forget_me_prompt(
        tr,
        dict.fromkeys(("groups", "cases", "contributions", "takeaways", "evaluations"), s.count),
    ),
    "privacy_messages.forgotten_message": lambda tr, s: privacy_messages.forgotten_message(tr),
    "reminder_messages.agenda_message": lambda tr, s: reminder_messages.agenda_message(
        tr, meeting(s), lines(s), s.members, "https://example.com/rules", "U0ANNA"
    ),
    "reminder_messages.case_request_message": (
        lambda tr, s: reminder_messages.case_request_message(tr, meeting(s))
    ),
    "reminder_messages.no_case_noted_message": (
        lambda tr, s: reminder_messages.no_case_noted_message(tr, meeting(s))
    ),
    "reminder_messages.start_message": lambda tr, s: reminder_messages.start_message(
        tr,
        meeting(s),
        reminder_messages.agenda_message(tr, meeting(s), lines(s), s.members, "https://x", None),
        soon=s.count > 0,
    ),
    "run_messages.closed_round": lambda tr, s: run_messages.closed_round(
        tr, run(s, 3), [s.typed[:1000]] * (s.count * 3)
    ),
    "run_messages.closing_message": lambda tr, s: run_messages.closing_message(tr, s.group),
    "run_messages.closing_soon_message": lambda tr, s: run_messages.closing_soon_message(
        tr, run(s, 3), s.count
    ),
    "run_messages.nudge_message": lambda tr, s: run_messages.nudge_message(
        tr, run(s, 2), "C0NOORD"
    ),
    "run_messages.opening_message": lambda tr, s: run_messages.opening_message(
        tr,
        s.group,
        [s.title] * s.count,
        s.typed[:2000],
        opened_by="U0ANNA",
        presence=attendance.presence_blocks(tr, 3, s.members, None)
        + attendance.presence_blocks(tr, 3, s.members, attendance.Recorded(95, s.count, "U0ANNA")),
    ),
    "run_messages.owner_summary": lambda tr, s: run_messages.owner_summary(
        tr, s.title, [(phase, [s.typed[:1000]] * (s.count * 2)) for phase in INCIDENT.phases]
    ),
    "run_messages.parent_message": lambda tr, s: run_messages.parent_message(tr, run(s, 2)),
    "run_messages.phase_prompt": lambda tr, s: run_messages.phase_prompt(
        tr, run(s, 3), run_messages.heads_up_note(tr, run(s, 3), s.count)
    ),
    "run_messages.time_up_message": lambda tr, s: run_messages.time_up_message(tr, run(s, 2)),
    "verify_message.verification_message": lambda tr, s: verify_message.verification_message(
        tr, verified(s, s.count > 0)
    ),
    "welcome_message.welcome_message": lambda tr, s: welcome_message(
        tr,
        fields(s),
        public=s.count > 0,
        missing=s.members[: s.count],
        since=s.start.date() if s.count == 1 else None,
    ),
    "coach_view.readiness_message": lambda tr, s: readiness_message(
        tr, s.group, "U0COACH", coached(s)
    ),
    "coach_messages.step_announcement": lambda tr, s: coach_messages.step_announcement(
        tr, (STEP_BACK, HAND_OVER, UNDO)[s.count % 3], "U0COACH", 1, s.group, s.start.date()
    ),
    "coach_messages.call_back_message": lambda tr, s: coach_messages.call_back_message(
        tr, "U0ANNA", s.group, slack_time(s.start, AMSTERDAM, tr), "1:7"
    ),
    "coach_messages.call_back_announcement": lambda tr, s: coach_messages.call_back_announcement(
        tr,
        ("called", "accepted", "declined")[s.count % 3],
        "U0COACH",
        "U0ANNA",
        slack_time(s.start, AMSTERDAM, tr),
    ),
    "coach_messages.coach_note_message": lambda tr, s: coach_messages.coach_note_message(
        tr, "U0COACH", INCIDENT.phases[2].title(tr.language), s.typed[:NOTE_MAX], 4
    ),
    "coach_messages.coach_reminder": lambda tr, s: coach_messages.coach_reminder(tr, meeting(s)),
    "run_messages.coach_paused_message": lambda tr, s: run_messages.coach_paused_message(
        tr, "U0COACH"
    ),
}

VIEWS: dict[str, Surface] = {
    "attendance_messages.attendance_modal": lambda tr, s: attendance.attendance_modal(
        tr, 3, s.group, s.start.date().isoformat(), s.members, 95
    ),
    "attendance_messages.target_modal": lambda tr, s: attendance.target_modal(
        tr, AttendanceTarget()
    ),
    "case_modal.case_modal": lambda tr, s: case_modal.case_modal(
        tr,
        [
            case_modal.Target(f"m:{i}", i % 3, f"{s.group} {i % 3}", "26 januari")
            for i in range(max(1, s.count * 3))
        ],
        chosen_target="m:0",
        fields=case(s),
        case_id=1,
    ),
    "followup_messages.evaluation_modal": lambda tr, s: followup.evaluation_modal(tr, 3, {}),
    "followup_messages.goal_modal": lambda tr, s: followup.goal_modal(
        tr, 1, "partly", {}, s.typed[:999]
    ),
    "followup_messages.takeaway_modal": lambda tr, s: followup.takeaway_modal(tr, 1, {}),
    "group_modal.group_modal": lambda tr, s: group_modal(
        tr, fields(s), channel_id="C0NOORD", group_id=1
    ),
    "group_modal.showing_rules": lambda tr, s: showing_rules(
        group_modal(tr, fields(s), channel_id="C0NOORD", group_id=None), default_rules("en"), "en"
    ),
    "help_message.help_modal": lambda tr, s: help_message.help_modal(tr, list(SUBCOMMANDS)),
    "home_view.home_view": lambda tr, s: home_view(
        tr,
        [GroupLine(i, s.group, f"C{i:04d}", meeting(s)) for i in range(s.count * 2)],
        cases(s),
        goals(s),
        [coached(s, i) for i in range(1, s.count + 1)],
    ),
    "coach_modals.thresholds_modal": lambda tr, s: coach_modals.thresholds_modal(
        tr, 1, Thresholds()
    ),
    "coach_modals.note_modal": lambda tr, s: coach_modals.note_modal(
        tr, 1, INCIDENT.phases[2].title(tr.language)
    ),
    "coach_modals.tips_modal": lambda tr, s: coach_modals.tips_modal(
        tr,
        1,
        [
            (method.id, phase.id, s.typed[:NOTE_MAX])
            for method in methods().values()
            for phase in method.phases
        ][: s.count * 20],
    ),
    "hours_modal.hours_modal": lambda tr, s: hours_modal(tr, WorkingHours(AMSTERDAM)),
    "meeting_modal.meeting_modal": lambda tr, s: meeting_forms.meeting_modal(
        tr,
        group_id=1,
        meeting_id=2,
        start=s.start,
        minutes=120,
        location=s.typed[:500],
        case_slots=max(1, s.count),
    ),
    "meeting_modal.proposal_modal": lambda tr, s: meeting_forms.proposal_modal(
        tr, group_id=1, minutes=120, location=s.typed[:500]
    ),
    "method_views.durations_modal": lambda tr, s: method_views.durations_modal(tr, INCIDENT, 1),
    "my_cases.case_view_modal": lambda tr, s: my_cases.case_view_modal(tr, case(s)),
    "run_modals.contribution_modal": lambda tr, s: run_modals.contribution_modal(
        tr, 1, 2, "questions"
    ),
    "run_modals.roles_modal": lambda tr, s: run_modals.roles_modal(tr, 1, "U0ANNA", None),
    "verify_message.verified_view": lambda tr, s: verify_message.verified_view(
        tr, verified(s, False)
    ),
    "verify_message.verify_modal": lambda tr, s: verify_message.verify_modal(tr, 1),
}


def pdf_text(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def chart_text(tr: Translator, s: Story) -> str:
    """Every word the year's picture shows: titles, labels, ticks, legends, notes."""
    figure = review_figure(tr, review(s))
    figure.canvas.draw()  # tick labels exist once the figure is drawn
    return "\n".join(t.get_text() for t in figure.findobj(Text))


PAGE_FACTS = PageFacts("privacy@example.com", "/slack/install")

# What people read outside Slack: files the bot sends, and its web pages.
Reading = Callable[[Translator, Story], str]

FILES: dict[str, Reading] = {
    "attendance_papers.proof_pdf": lambda tr, s: pdf_text(
        proof_pdf(tr, proof(s), "ABCD" * 4, "https://bot.example/verify")
    ),
    "attendance_papers.overview_pdf": lambda tr, s: pdf_text(
        overview_pdf(tr, s.person, overview(s), AMSTERDAM)
    ),
    "attendance_files.history_csv": lambda tr, s: history_csv(
        tr, [HistoryRow(attended(s, i), 4, 5) for i in range(s.count)], AMSTERDAM
    ),
    "review_chart.review_figure": chart_text,
    "review_chart.review_text": lambda tr, s: review_text(tr, review(s)),
    "privacy_messages.export_markdown": lambda tr, s: export_markdown(tr, export(s)),
}

PAGES: dict[str, Reading] = {
    "landing_page": lambda tr, s: landing_page(tr, PAGE_FACTS),
    "installed_page": lambda tr, s: installed_page(tr, PAGE_FACTS, s.group),
    "install_failed_page": lambda tr, s: "".join(
        install_failed_page(tr, PAGE_FACTS, why)
        for why in ("cancelled", "expired", "refused", "org_wide", "error")
    ),
    "privacy_page": lambda tr, s: privacy_page(tr, PageFacts(None)),
    "verify_page": lambda tr, s: verify_page(tr, "/verify", verified(s, s.count > 0), False),
}
