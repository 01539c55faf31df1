"""Block action listeners (buttons)."""

from __future__ import annotations

from slack_bolt import App

from handlers.actions import attendance, cases, coaching, followup, runs
from handlers.actions.group import edit_group, group_language_chosen
from handlers.actions.meetings import cancel_meeting_clicked, reschedule_meeting, start_meeting
from handlers.actions.panel import panel_clicked
from handlers.actions.polls import confirm_clicked, other_time_clicked, vote_clicked
from handlers.actions.privacy import forget_me_clicked
from handlers.actions.reminders import no_case_clicked
from rendering.attendance_messages import CORRECT, PRESENT, SET_TARGET
from rendering.case_lines import CONFIRM_CASES, VOTE_CASE
from rendering.case_modal import KIND
from rendering.coach_messages import COACH_ACCEPT, COACH_DECLINE, KEEP_TIP
from rendering.coach_view import (
    COACH_HAND_OVER,
    COACH_POST,
    COACH_STEP_BACK,
    COACH_THRESHOLDS,
    COACH_UNDO,
)
from rendering.followup_messages import (
    EVALUATE,
    FOLLOW_UP_ACTIONS,
    UPDATE_GOAL,
    WRITE_TAKEAWAY,
)
from rendering.group_modal import LANGUAGE as GROUP_LANGUAGE
from rendering.group_panel import PANEL_ACTIONS, PANEL_MORE, PANEL_PREFIX
from rendering.group_summary import EDIT_GROUP
from rendering.home_view import HELP_FROM_HOME, REVIEW_FROM_HOME, SCHEDULE_FROM_HOME
from rendering.meetings_list import CANCEL, RESCHEDULE
from rendering.method_views import DURATIONS, PREVIEW
from rendering.my_cases import (
    CONSENT_NO,
    CONSENT_YES,
    EDIT_CASE,
    NEW_CASE,
    VIEW_CASE,
    WITHDRAW_CASE,
)
from rendering.poll_message import CONFIRM, OTHER_TIME, VOTE
from rendering.privacy_messages import FORGET_ME
from rendering.reminder_messages import NO_CASE, START_MEETING, SUBMIT_CASE
from rendering.run_messages import ADD, END, EXTEND, NEXT, NOTE, PAUSE, RESUME, ROLES


def register(app: App) -> None:
    for what in PANEL_ACTIONS:
        app.action(f"{PANEL_PREFIX}{what}")(panel_clicked)
    app.action(PANEL_MORE)(panel_clicked)
    app.action(EDIT_GROUP)(edit_group)
    app.action(GROUP_LANGUAGE)(group_language_chosen)
    app.action(RESCHEDULE)(reschedule_meeting)
    app.action(CANCEL)(cancel_meeting_clicked)
    app.action(START_MEETING)(start_meeting)
    app.action(VOTE)(vote_clicked)
    app.action(CONFIRM)(confirm_clicked)
    app.action(OTHER_TIME)(other_time_clicked)
    app.action(NO_CASE)(no_case_clicked)
    app.action(FORGET_ME)(forget_me_clicked)
    app.action(SUBMIT_CASE)(cases.submit_clicked)
    app.action(NEW_CASE)(cases.submit_clicked)
    app.action(VIEW_CASE)(cases.view_clicked)
    app.action(EDIT_CASE)(cases.edit_clicked)
    app.action(WITHDRAW_CASE)(cases.withdraw_clicked)
    app.action(VOTE_CASE)(cases.vote_clicked)
    app.action(CONFIRM_CASES)(cases.confirm_clicked)
    app.action(CONSENT_YES)(cases.consent_yes_clicked)
    app.action(CONSENT_NO)(cases.consent_no_clicked)
    app.action(KIND)(cases.kind_changed)
    for control in (NEXT, EXTEND, PAUSE, RESUME, END):
        app.action(control)(runs.control_clicked)
    app.action(ADD)(runs.add_clicked)
    app.action(ROLES)(runs.roles_clicked)
    app.action(PREVIEW)(runs.preview_clicked)
    app.action(DURATIONS)(runs.durations_clicked)
    app.action(WRITE_TAKEAWAY)(followup.write_clicked)
    for answer in FOLLOW_UP_ACTIONS:
        app.action(answer)(followup.follow_up_clicked)
    app.action(UPDATE_GOAL)(followup.update_clicked)
    app.action(EVALUATE)(followup.evaluate_clicked)
    app.action(SCHEDULE_FROM_HOME)(followup.schedule_from_home)
    app.action(REVIEW_FROM_HOME)(followup.review_from_home)
    app.action(HELP_FROM_HOME)(followup.help_from_home)
    app.action(PRESENT)(attendance.present_clicked)
    for step in (COACH_POST, COACH_STEP_BACK, COACH_HAND_OVER, COACH_UNDO):
        app.action(step)(coaching.coach_clicked)
    app.action(COACH_THRESHOLDS)(coaching.thresholds_clicked)
    app.action(NOTE)(coaching.note_clicked)
    app.action(KEEP_TIP)(coaching.keep_tip_clicked)
    app.action(COACH_ACCEPT)(coaching.call_answered)
    app.action(COACH_DECLINE)(coaching.call_answered)
    app.action(CORRECT)(attendance.correct_clicked)
    app.action(SET_TARGET)(attendance.target_clicked)
