"""Modal (view) submission listeners."""

from __future__ import annotations

from slack_bolt import App

from handlers.views import attendance, coaching, followup, runs
from handlers.views.case import save_case_modal
from handlers.views.group import save_group_modal
from handlers.views.hours import save_hours
from handlers.views.meeting import save_meeting_modal, save_proposal_modal
from handlers.views.verify import check_proof
from rendering.attendance_messages import ATTENDANCE_MODAL, TARGET_MODAL
from rendering.case_modal import CASE_MODAL
from rendering.coach_modals import NOTE_MODAL, THRESHOLDS_MODAL, TIPS_MODAL
from rendering.followup_messages import EVALUATION_MODAL, GOAL_MODAL, TAKEAWAY_MODAL
from rendering.group_modal import GROUP_MODAL
from rendering.hours_modal import HOURS_MODAL
from rendering.meeting_modal import MEETING_MODAL, PROPOSAL_MODAL
from rendering.method_views import DURATIONS_MODAL
from rendering.run_modals import CONTRIBUTION_MODAL, ROLES_MODAL
from rendering.verify_message import VERIFY_MODAL


def register(app: App) -> None:
    app.view(GROUP_MODAL)(save_group_modal)
    app.view(MEETING_MODAL)(save_meeting_modal)
    app.view(PROPOSAL_MODAL)(save_proposal_modal)
    app.view(CASE_MODAL)(save_case_modal)
    app.view(CONTRIBUTION_MODAL)(runs.save_contribution)
    app.view(ROLES_MODAL)(runs.save_roles)
    app.view(DURATIONS_MODAL)(runs.save_durations)
    app.view(TAKEAWAY_MODAL)(followup.save_takeaway_modal)
    app.view(GOAL_MODAL)(followup.save_goal_modal)
    app.view(EVALUATION_MODAL)(followup.save_evaluation_modal)
    app.view(ATTENDANCE_MODAL)(attendance.save_attendance)
    app.view(TARGET_MODAL)(attendance.save_target_modal)
    app.view(HOURS_MODAL)(save_hours)
    app.view(VERIFY_MODAL)(check_proof)
    app.view(THRESHOLDS_MODAL)(coaching.save_thresholds_modal)
    app.view(NOTE_MODAL)(coaching.save_note_modal)
    app.view(TIPS_MODAL)(coaching.save_tips_modal)
