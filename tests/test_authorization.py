"""Every command, button and modal of the app, tried by an outsider and by a member of another
group: each is refused, and nothing changes (no stored row, no message, no leaked content)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import jobs
from handlers import actions, commands, events, shortcuts, views
from handlers.commands.intervisie import SUBCOMMANDS
from methods.attendance import Target as AttendanceTarget
from methods.cases import CaseFields
from methods.coaching import Thresholds
from methods.library import methods
from methods.working_hours import WorkingHours
from rendering.attendance_messages import attendance_modal, target_modal
from rendering.case_modal import Target, case_modal
from rendering.coach_modals import note_modal, thresholds_modal, tips_modal
from rendering.followup_messages import (
    FOLLOW_UP_ACTIONS,
    evaluation_modal,
    goal_modal,
    takeaway_modal,
)
from rendering.group_modal import group_modal
from rendering.group_panel import PANEL_ACTIONS, PANEL_MORE, PanelFacts, group_panel
from rendering.hours_modal import hours_modal
from rendering.i18n import Translator
from rendering.meeting_modal import meeting_modal, proposal_modal
from rendering.method_views import durations_modal
from rendering.run_modals import contribution_modal, roles_modal
from rendering.verify_message import verify_modal
from storage.cases import add_case
from storage.coaching import add_note, keep_tip
from storage.groups import fields_of, get_group
from storage.models import Base, CaseRun, Meeting, Takeaway
from storage.proposals import add_proposal
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call, FakeUser
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, EVA, FENNA, GIJS, NOORD, OPEN, OSCAR, PARTNER
from tests.slackkit.sender import Reply
from tests.stories import given_group, schedule
from tests.test_followup import DEC_1, JAN_26
from usecases.meetings import MeetingPlan, plan_meeting

MARKER = "zq-secret-7731"
SECRET_CASE = CaseFields(
    title=f"Conflict {MARKER}",
    situation=f"My manager {MARKER} shouts.",
    question=f"What now {MARKER}?",
    kind="incident",
    method="incident",
    urgency="high",
    link=None,
)
# Rows a refused request may still touch: a cached profile, an event id, a scheduler nudge.
BOOKKEEPING = {"people", "processed_events"}
READS = {"auth.test", "users.info", "conversations.info", "conversations.members"}


@dataclass(frozen=True)
class World:
    group_id: int
    held_meeting_id: int
    next_meeting_id: int
    case_id: int
    run_id: int
    option_id: int
    proposal_id: int
    takeaway_id: int
    note_id: int


@pytest.fixture
def world(bot: Bot) -> World:
    """Noord has a running case, a next meeting, an open poll and a takeaway; Zuid is Eva's."""
    noord_id = given_group(bot.db, bot.clock(), language="en")
    given_group(bot.db, bot.clock(), channel=OPEN, name="Zuid", members=(EVA, ANNA))
    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")
    now = bot.clock()
    with bot.db.begin() as session:
        group = get_group(session, noord_id)
        assert group is not None and group.name == "Noord"
        meeting = session.scalars(select(Meeting)).one()
        case = add_case(session, group, meeting.id, BRAM, SECRET_CASE, now)
        following = plan_meeting(session, group, MeetingPlan(JAN_26, 120, "", 2), ANNA, now)
        proposal = add_proposal(
            session,
            group,
            kind="poll",
            created_by=ANNA,
            starts=[JAN_26 + timedelta(days=7), JAN_26 + timedelta(days=8)],
            minutes=120,
            location="",
            case_slots=2,
            now=now,
        )
        ids = (group.id, meeting.id, following.id, case.id, proposal.options[0].id, proposal.id)
    jobs.install(bot.services)
    bot.clock.set(DEC_1)
    bot.slack.command(ANNA, NOORD, "start")
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 1/"))
    with bot.db.begin() as session:
        run = session.scalars(select(CaseRun)).one()
        takeaway = Takeaway(
            run_id=run.id,
            group_id=ids[0],
            meeting_id=ids[1],
            owner_id=BRAM,
            case_title=SECRET_CASE.title,
            goal=f"Goal {MARKER}",
            status="answered",
            asked_at=bot.clock(),
        )
        session.add(takeaway)
        session.flush()
        run_id, takeaway_id = run.id, takeaway.id
        # Fenna coaches Noord, left a note, and is invited back for the next meeting.
        noord = get_group(session, ids[0])
        assert noord is not None
        noord.facilitator_id = FENNA
        noord.guest_coach_id, noord.guest_meeting_id = FENNA, ids[2]
        note_id = add_note(session, run.id, "explain", f"Note {MARKER}", bot.clock())
        keep_tip(session, ids[0], "incident", "explain", f"Tip {MARKER}", bot.clock())
    group_id, held_id, next_id, case_id, option_id, proposal_id = ids
    return World(
        group_id, held_id, next_id, case_id, run_id, option_id, proposal_id, takeaway_id, note_id
    )


class Recorder:
    """Stands in for the Bolt app to list what each `register(app)` listens to."""

    def __init__(self) -> None:
        self.listening: dict[str, list[str]] = defaultdict(list)

    def _record(self, kind: str) -> Callable[[Any], Callable[[Any], Any]]:
        def constraint(value: Any) -> Callable[[Any], Any]:
            self.listening[kind].append(str(value))
            return lambda listener: listener

        return constraint

    def __getattr__(self, kind: str) -> Callable[[Any], Callable[[Any], Any]]:
        return self._record(kind)


def listeners() -> dict[str, list[str]]:
    recorder = Recorder()
    for module in (commands, actions, views, events, shortcuts):
        module.register(recorder)  # type: ignore[arg-type]
    return recorder.listening


Attempt = Callable[[Bot, str], Reply]


def click(action_id: str, value: str) -> Attempt:
    return lambda bot, user: bot.slack.click(
        user, action_id, value, channel=NOORD, message_ts="1700000001.000100"
    )


def choose_more(what: str, group_id: int) -> Attempt:
    """`what` chosen in the *More* menu of the group's panel."""
    panel = group_panel(Translator("en"), PanelFacts(group_id, "Noord", None, startable=False))
    [menu] = [
        e
        for b in panel["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == PANEL_MORE
    ]
    return lambda bot, user: bot.slack.choose(user, menu, f"{what}:{group_id}", channel=NOORD)


def button_attempts(w: World) -> dict[str, Attempt]:
    run, case, meeting = str(w.run_id), str(w.case_id), str(w.next_meeting_id)
    return {
        "group_edit": click("group_edit", str(w.group_id)),
        "group_language": click("group_language", "en"),
        "meeting_reschedule": click("meeting_reschedule", meeting),
        "meeting_cancel": click("meeting_cancel", meeting),
        "meeting_start": click("meeting_start", str(w.held_meeting_id)),
        "poll_vote": click("poll_vote", str(w.option_id)),
        "poll_confirm": click("poll_confirm", str(w.option_id)),
        "poll_other_time": click("poll_other_time", str(w.proposal_id)),
        "case_none": click("case_none", meeting),
        "case_submit": click("case_submit", meeting),
        "case_new": click("case_new", "home"),
        "case_view": click("case_view", case),
        "case_edit": click("case_edit", case),
        "case_withdraw": click("case_withdraw", case),
        "case_vote": click("case_vote", case),
        "cases_confirm": click("cases_confirm", meeting),
        "case_consent_yes": click("case_consent_yes", case),
        "case_consent_no": click("case_consent_no", case),
        "run_next": click("run_next", run),
        "run_extend": click("run_extend", run),
        "run_pause": click("run_pause", run),
        "run_resume": click("run_resume", run),
        "run_end": click("run_end", run),
        "run_add": click("run_add", run),
        "run_roles": click("run_roles", run),
        "method_durations": click("method_durations", f"{w.group_id}:incident"),
        "takeaway_write": click("takeaway_write", str(w.takeaway_id)),
        **{
            action: click(action, str(w.takeaway_id))
            for action in FOLLOW_UP_ACTIONS  # one button per answer
        },
        "goal_update": click("goal_update", str(w.takeaway_id)),
        "meeting_evaluate": click("meeting_evaluate", str(w.held_meeting_id)),
        "home_schedule": click("home_schedule", str(w.group_id)),
        "home_review": click("home_review", str(w.group_id)),
        "attendance_present": click("attendance_present", str(w.held_meeting_id)),
        "attendance_correct": click("attendance_correct", str(w.held_meeting_id)),
        # The panel refuses every button, even those about the clicker alone: it is the group's.
        **{f"panel:{what}": click(f"panel:{what}", str(w.group_id)) for what in PANEL_ACTIONS},
        "panel_more": choose_more("export", w.group_id),
        **{
            action: click(action, str(w.group_id))
            for action in ("coach_post", "coach_step_back", "coach_hand_over", "coach_undo")
        },
        "coach_thresholds": click("coach_thresholds", str(w.group_id)),
        "run_note": click("run_note", run),
        "tip_keep": click("tip_keep", str(w.note_id)),
        "coach_accept": click("coach_accept", f"{w.group_id}:{w.next_meeting_id}"),
        "coach_decline": click("coach_decline", f"{w.group_id}:{w.next_meeting_id}"),
    }


def case_view(tr: Translator, w: World) -> dict[str, Any]:
    target = Target(f"m:{w.next_meeting_id}", w.group_id, "Noord", "26 January")
    return case_modal(
        tr, [target], chosen_target=target.value, fields=SECRET_CASE, case_id=w.case_id
    )


def group_view(tr: Translator, w: World, bot: Bot) -> dict[str, Any]:
    with bot.db() as session:
        group = get_group(session, w.group_id)
        assert group is not None
        fields = fields_of(group)
    return group_modal(tr, fields, channel_id=NOORD, group_id=w.group_id)


def modal_views(w: World, bot: Bot) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Every modal of the app as the bot builds it for Noord, with values that would pass."""
    tr = Translator("en")
    incident = methods()["incident"]
    built: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
        "group_modal": (group_view(tr, w, bot), {"name": "Taken over"}),
        "meeting_modal": (
            meeting_modal(
                tr,
                group_id=w.group_id,
                meeting_id=w.next_meeting_id,
                start=JAN_26 + timedelta(days=1),
                minutes=120,
                location="",
                case_slots=2,
            ),
            {},
        ),
        "proposal_modal": (
            proposal_modal(tr, group_id=w.group_id, minutes=120, location=""),
            {
                "option_1": JAN_26 + timedelta(days=14),
                "option_2": JAN_26 + timedelta(days=15),
            },
        ),
        "case_modal": (case_view(tr, w), {"title": "Hijacked"}),
        "contribution_modal": (contribution_modal(tr, w.run_id, 0, "questions"), {"text": "Hi"}),
        "roles_modal": (roles_modal(tr, w.run_id, None, None), {"chair": EVA, "timekeeper": EVA}),
        "durations_modal": (durations_modal(tr, incident, w.group_id), {}),
        "takeaway_modal": (
            takeaway_modal(tr, w.takeaway_id, {}),
            {"learned": "x", "attention": "y", "goal": "z"},
        ),
        "goal_modal": (goal_modal(tr, w.takeaway_id, None, {}), {"status": "achieved"}),
        "evaluation_modal": (
            evaluation_modal(tr, w.held_meeting_id, {}),
            {"safety": "5", "usefulness": "5"},
        ),
        "attendance_modal": (
            attendance_modal(tr, w.held_meeting_id, "Noord", "2026-12-01", [ANNA], 95),
            {"minutes": "120"},
        ),
        "attendance_target_modal": (target_modal(tr, AttendanceTarget()), {"meetings": "6"}),
        "hours_modal": (hours_modal(tr, WorkingHours(ZoneInfo("UTC"))), {"work_start": "08:00"}),
        "verify_modal": (verify_modal(tr, w.group_id), {"code": "ABCD-EFGH-JKMN-PQRS"}),
        "coach_thresholds_modal": (thresholds_modal(tr, w.group_id, Thresholds()), {}),
        "coach_note_modal": (note_modal(tr, w.run_id, "The incident"), {"note": "Hi"}),
        "group_tips_modal": (
            tips_modal(tr, w.group_id, [("incident", "explain", "Our own")]),
            {"tip:incident:explain": "Hijacked"},
        ),
    }
    return built


def view_attempts(w: World, bot: Bot) -> dict[str, Attempt]:
    def submitter(view: dict[str, Any], values: dict[str, Any]) -> Attempt:
        return lambda bot, user: bot.slack.submit(user, view, fill(view, **values))

    return {
        callback: submitter(view, values)
        for callback, (view, values) in modal_views(w, bot).items()
    }


def other_attempts(w: World) -> dict[str, Attempt]:
    def kind_changed(bot: Bot, user: str) -> Reply:
        return bot.slack.interaction(
            {
                "type": "block_actions",
                "user": {"id": user},
                "trigger_id": "t",
                "view": {**case_view(Translator("en"), w), "id": "V1", "hash": "h"},
                "actions": [
                    {
                        "type": "static_select",
                        "action_id": "kind",
                        "block_id": "kind",
                        "selected_option": {"value": "dilemma"},
                        "action_ts": "1",
                    }
                ],
            }
        )

    def shortcut(bot: Bot, user: str) -> Reply:
        return bot.slack.interaction(
            {
                "type": "shortcut",
                "callback_id": "submit_case",
                "user": {"id": user},
                "trigger_id": "t",
            }
        )

    return {
        "kind": kind_changed,
        "submit_case": shortcut,
        "home_help": click("home_help", "home"),
        "method_preview": click("method_preview", "incident"),
        "privacy_forget_me": click("privacy_forget_me", "me"),
        "attendance_target": click("attendance_target", "me"),
    }


def snapshot(bot: Bot, actor: str) -> dict[str, list[tuple[str, ...]]]:
    """Every stored row, except the actor's own (forget-me may delete those)."""
    with bot.db() as session:
        return {
            table.name: sorted(
                row
                for row in (tuple(map(str, r)) for r in session.execute(select(table)))
                if actor not in row
            )
            for table in Base.metadata.sorted_tables
            if table.name not in BOOKKEEPING
        }


def leaks(call: Call, actor: str) -> bool:
    """A call that reaches someone other than the actor, changes something, or shows content."""
    if call.method in READS or call.method in ("response_url", "file.upload"):
        return MARKER in json.dumps(call.params)
    target = str(call.get("channel") or call.get("channel_id") or call.get("user_id") or actor)
    own = target in (actor, "D" + actor[1:])
    if call.method in ("chat.postMessage", "chat.postEphemeral", "views.publish"):
        return not own or MARKER in json.dumps(call.params)
    if call.method in ("views.open", "views.update", "views.push", "conversations.open"):
        return MARKER in json.dumps(call.params)
    if call.method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
        return not own or MARKER in json.dumps(call.params)
    return True


def refused_visibly(reply: Reply, calls: list[Call]) -> bool:
    if "errors" in reply.body:
        return True
    return any(
        c.method in ("response_url", "chat.postMessage", "chat.postEphemeral") for c in calls
    )


@pytest.mark.parametrize(
    "actor",
    [OSCAR, EVA, GIJS],
    ids=["outsider", "member of another group", "outsider from another organisation"],
)
def test_every_listener_refuses_those_outside_the_group_without_side_effects(
    bot: Bot, world: World, actor: str
) -> None:
    if actor == GIJS:  # in the channel, shared with Partner; his requests come from Partner
        bot.fake.add_user(FakeUser(GIJS, "gijs", "Europe/Brussels", "nl-BE", team_id=PARTNER))
        bot.fake.channels[NOORD].members.add(GIJS)
        bot = replace(bot, slack=bot.slack.from_team(PARTNER))
    attempts: dict[str, Attempt] = {
        **button_attempts(world),
        **view_attempts(world, bot),
        **other_attempts(world),
    }
    command_attempts: dict[str, Attempt] = {
        f"/intervisie {word}": (lambda bot, user, word=word: bot.slack.command(user, NOORD, word))
        for word in SUBCOMMANDS
    }
    listening = listeners()
    covered = set(attempts)
    expected = set(listening["action"]) | set(listening["view"]) | set(listening["shortcut"])
    assert covered == expected, "every button, modal and shortcut is tried"
    assert listening["command"] == ["/intervisie"]

    problems: list[str] = []
    for name, attempt in {**attempts, **command_attempts}.items():
        before_rows = snapshot(bot, actor)
        seen = len(bot.fake.calls)
        reply = attempt(bot, actor)
        calls = bot.fake.calls[seen:]
        if reply.status != 200:
            problems.append(f"{name}: HTTP {reply.status}")
        if snapshot(bot, actor) != before_rows:
            problems.append(f"{name}: changed stored data")
        problems += [f"{name}: {c.method} to {c.get('channel')}" for c in calls if leaks(c, actor)]
        free = FREE_FOR_ALL | (OWN_CASES if actor == EVA else set())
        if name not in free and not refused_visibly(reply, calls):
            problems.append(f"{name}: no refusal shown")
        if any("Noord" in json.dumps(c.params) for c in calls if c.method.startswith("views.")):
            problems.append(f"{name}: a view shows the group Noord")
    assert problems == [], "\n".join(problems)


# A member of another group may open the case modal: it offers their own group's meetings only.
OWN_CASES = {"case_submit", "case_new", "submit_case"}
# What anyone may do: it shows nothing of a group they are not in, and changes nothing of it.
FREE_FOR_ALL = {
    "home_help",
    "method_preview",
    "kind",
    "privacy_forget_me",
    "attendance_target",
    "attendance_target_modal",
    "hours_modal",
    "/intervisie hours",
    "/intervisie attendance",
    "/intervisie help",
    "/intervisie methods",
    "/intervisie cases",
    "/intervisie goals",
    "/intervisie export",
    "/intervisie forget-me",
    "/intervisie setup",
    "group_language",  # the language picked in one's own setup form: it updates that form only
}
