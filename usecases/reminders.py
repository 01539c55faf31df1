"""What a reminder sends when its moment comes (or late, while it is still useful)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk.web import SlackResponse

from methods.scheduling import AFTER_THE_MEETING, Decision, ReminderKind, decide
from rendering.coach_messages import coach_reminder
from rendering.reminder_messages import case_request_message
from storage.meetings import (
    CANCELLED,
    PENDING,
    SCHEDULED,
    finish_reminder,
    get_meeting,
    get_reminder,
)
from usecases.agenda import (
    Agenda,
    agenda_post,
    keep_opening,
    load_agenda,
    meeting_message_ts,
    start_post,
)
from usecases.cases import roll_over
from usecases.delivery import Outcome, send_dms, send_once, to_each
from usecases.followup import ask_evaluations, ask_follow_ups, nudge_takeaways
from usecases.panel import refresh_panel_of_meeting
from usecases.proposals import propose_next_meeting
from usecases.services import Services

logger = logging.getLogger(__name__)
# Reminders around the meeting after which its panel changes (it can start; it is about to).
PANEL_MOMENTS = (ReminderKind.AGENDA, ReminderKind.SOON, ReminderKind.START)


@dataclass(frozen=True)
class Due:
    """Everything needed to send one reminder, read in one transaction."""

    kind: ReminderKind
    key: str
    member_ids: tuple[str, ...]
    agenda: Agenda
    coach_ids: tuple[str, ...] = ()  # the coach, and a former coach called back for it


def _due(services: Services, reminder_id: int) -> Due | None:
    """The reminder if it is to be sent now; skipped or not yet due ones give None."""
    now = services.clock()
    with services.db.begin() as session:
        reminder = get_reminder(session, reminder_id)
        if reminder is None or reminder.status != PENDING:
            return None
        meeting = reminder.meeting
        if meeting.group.paused_at is not None:
            return None  # the group's channel is gone; it stays pending until the group resumes
        kind = ReminderKind(reminder.kind)
        held_or_planned = meeting.status != CANCELLED
        if not held_or_planned or (meeting.status != SCHEDULED and kind not in AFTER_THE_MEETING):
            finish_reminder(session, reminder, "skipped", now)
            return None
        decision = decide(kind, reminder.due_at, meeting.starts_at, meeting.minutes, now)
        if decision is Decision.WAIT:
            return None
        if decision is Decision.SKIP:
            logger.info("reminder %s (%s) skipped: too late to help", reminder_id, kind)
            finish_reminder(session, reminder, "skipped", now)
            return None
        return Due(
            kind=kind,
            key=f"meeting:{meeting.id}:v{meeting.sequence}:{kind.value}",
            member_ids=tuple(meeting.group.member_ids),
            agenda=load_agenda(session, meeting),
            coach_ids=tuple(
                c for c in meeting.group.coach_ids if c not in meeting.group.member_ids
            ),
        )


def _post_and_remember(
    services: Services,
    due: Due,
    message: dict[str, object],
    remember: str,
    edit: str | None = None,
) -> Callable[[], SlackResponse]:
    """Post in the channel, or edit the meeting's message at `edit`, and keep where it is."""

    def post() -> SlackResponse:
        channel = due.agenda.channel_id
        if edit is not None:
            posted = services.client.chat_update(channel=channel, ts=edit, **message)
        else:
            posted = services.client.chat_postMessage(channel=channel, **message)
        with services.db.begin() as session:
            meeting = get_meeting(session, due.agenda.meeting_id)
            if meeting is not None:
                setattr(meeting, remember, str(posted["ts"]))
        return posted

    return post


def _send(services: Services, due: Due) -> list[Outcome]:
    agenda = due.agenda
    if due.kind is ReminderKind.CASE_REQUEST:
        language = agenda.tr.language
        return send_dms(
            services,
            [
                *to_each(
                    services,
                    due.key,
                    due.member_ids,
                    language,
                    lambda tr: case_request_message(tr, agenda.facts),
                ),
                *to_each(
                    services,
                    f"{due.key}:coach",
                    due.coach_ids,
                    language,
                    lambda tr: coach_reminder(tr, agenda.facts),
                ),
            ],
        )
    if due.kind is ReminderKind.NEXT:
        roll_over(services, agenda.meeting_id)
        return [propose_next_meeting(services, agenda.meeting_id, due.key)]
    if due.kind is ReminderKind.FOLLOW_UP:
        return ask_follow_ups(services, agenda.meeting_id)
    if due.kind is ReminderKind.EVALUATION:
        return ask_evaluations(services, agenda.meeting_id)
    if due.kind is ReminderKind.TAKEAWAY_NUDGE:
        return nudge_takeaways(services, agenda.meeting_id)
    if due.kind is ReminderKind.AGENDA:
        post = _post_and_remember(services, due, agenda_post(services, agenda), "agenda_ts")
    else:  # a few minutes ahead, or the moment itself: the agenda's message gets the button
        soon = due.kind is ReminderKind.SOON
        message = start_post(services, agenda, soon)
        post = _post_and_remember(services, due, message, "start_ts", meeting_message_ts(agenda))
    return [send_once(services, due.key, post)]


def deliver_reminder(services: Services, reminder_id: int) -> None:
    """Send the reminder if due; idempotent, so a retry or a second process sends nothing twice."""
    due = _due(services, reminder_id)
    if due is None:
        return
    outcomes = _send(services, due)
    if due.kind in PANEL_MOMENTS:
        keep_opening(services, due.agenda.meeting_id)
    if Outcome.RETRY in outcomes:
        return
    with services.db.begin() as session:
        reminder = get_reminder(session, reminder_id)
        if reminder is not None and reminder.status == PENDING:
            finish_reminder(session, reminder, "sent", services.clock())
    logger.info("reminder %s (%s) done: %s", reminder_id, due.kind, [o.value for o in outcomes])
    if due.kind in PANEL_MOMENTS:
        refresh_panel_of_meeting(services, due.agenda.meeting_id)
