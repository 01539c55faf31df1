""" "Start meeting": the opening message, the chosen cases as runs, and the first case."""

from __future__ import annotations

import logging

from slack_sdk.web import SlackResponse

from methods.library import suggestions
from storage.cases import SELECTED, cases_for_meeting
from storage.meetings import (
    SCHEDULED,
    claim_start,
    get_meeting,
    set_opening_ts,
)
from storage.runs import (
    add_run,
)
from usecases.answers import Answer
from usecases.asynchronous import (
    LIVE,
)
from usecases.cases import choose_cases
from usecases.delivery import send_once_soon
from usecases.followup import report_follow_ups
from usecases.live.outbox import start_next_case
from usecases.panel import refresh_panel_of_meeting
from usecases.records import opening_post
from usecases.services import Services

logger = logging.getLogger(__name__)


def _default_method(kind: str) -> str:
    fitting = suggestions(kind)
    return fitting[0].id if fitting else "incident"


def open_meeting(services: Services, meeting_id: int, user_id: str, mode: str = LIVE) -> Answer:
    """ "Start meeting": the opening round, then the chosen cases one after the other, live
    (minutes per phase) or asynchronously (hours and days per phase, in working time)."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None or not meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        if meeting.status != SCHEDULED:
            return Answer.CLOSED
        needs_choice = meeting.cases_chosen_by is None
    if needs_choice:
        choose_cases(services, meeting_id, user_id, starting=True)
    now = services.clock()
    with services.db.begin() as session:
        if not claim_start(session, meeting_id, user_id, now):
            return Answer.CLOSED
        meeting = get_meeting(session, meeting_id)
        assert meeting is not None
        chosen = [c for c in cases_for_meeting(session, meeting_id) if c.status == SELECTED]
        for position, case in enumerate(chosen):
            method_id = case.method or _default_method(case.kind)
            add_run(session, meeting_id, case.id, position, method_id, mode)
        report_follow_ups(session, meeting.group_id, meeting_id)
        channel = meeting.group.channel_id
        # The agenda's message (or the start message) becomes the opening: one message at top
        # level carries the meeting from the day before until it ends.
        earlier = meeting.start_ts or meeting.agenda_ts
        opening = opening_post(session, meeting)

    def post_opening() -> SlackResponse:
        if earlier is not None:
            posted = services.client.chat_update(channel=channel, ts=earlier, **opening)
        else:
            posted = services.client.chat_postMessage(channel=channel, **opening)
        with services.db.begin() as session:
            set_opening_ts(session, meeting_id, str(posted["ts"]))
        return posted

    send_once_soon(services, f"meeting:{meeting_id}:opening", post_opening)
    refresh_panel_of_meeting(services, meeting_id)
    start_next_case(services, meeting_id)
    return Answer.DONE
