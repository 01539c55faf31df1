"""Block action listeners (buttons)."""

from __future__ import annotations

from slack_bolt import App

from handlers.actions.group import edit_group
from handlers.actions.meetings import cancel_meeting_clicked, reschedule_meeting, start_meeting
from handlers.actions.polls import confirm_clicked, other_time_clicked, vote_clicked
from handlers.actions.reminders import no_case_clicked
from handlers.blocks.group_summary import EDIT_GROUP
from handlers.blocks.meetings_list import CANCEL, RESCHEDULE
from handlers.blocks.poll_message import CONFIRM, OTHER_TIME, VOTE
from handlers.blocks.reminder_messages import NO_CASE, START_MEETING


def register(app: App) -> None:
    app.action(EDIT_GROUP)(edit_group)
    app.action(RESCHEDULE)(reschedule_meeting)
    app.action(CANCEL)(cancel_meeting_clicked)
    app.action(START_MEETING)(start_meeting)
    app.action(VOTE)(vote_clicked)
    app.action(CONFIRM)(confirm_clicked)
    app.action(OTHER_TIME)(other_time_clicked)
    app.action(NO_CASE)(no_case_clicked)
