"""What a reminder sends when its moment comes (or late, while it is still useful)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.delivery import Outcome, send_once
from bot.i18n import Translator
from bot.meetings import group_translator, meeting_facts
from bot.proposals import propose_next_meeting
from bot.services import Services
from handlers.blocks.meeting_facts import MeetingFacts
from handlers.blocks.reminder_messages import (
    agenda_message,
    case_request_message,
    soon_message,
    start_message,
)
from methods.scheduling import Decision, ReminderKind, decide
from storage.meetings import (
    PENDING,
    SCHEDULED,
    answers_for,
    finish_reminder,
    get_reminder,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """Everything needed to send one reminder, read in one transaction."""

    reminder_id: int
    kind: ReminderKind
    meeting_id: int
    sequence: int
    channel_id: str
    welcome_ts: str | None
    member_ids: tuple[str, ...]
    no_case: tuple[str, ...]
    facts: MeetingFacts
    tr: Translator


def _due(services: Services, reminder_id: int) -> Due | None:
    """The reminder if it is to be sent now; skipped or not yet due ones give None."""
    now = services.clock()
    with services.db.begin() as session:
        reminder = get_reminder(session, reminder_id)
        if reminder is None or reminder.status != PENDING:
            return None
        meeting = reminder.meeting
        kind = ReminderKind(reminder.kind)
        if meeting.status != SCHEDULED and kind is not ReminderKind.NEXT:
            finish_reminder(session, reminder, "skipped", now)
            return None
        decision = decide(kind, reminder.due_at, meeting.starts_at, meeting.minutes, now)
        if decision is Decision.WAIT:
            return None
        if decision is Decision.SKIP:
            logger.info("reminder %s (%s) skipped: too late to help", reminder_id, kind)
            finish_reminder(session, reminder, "skipped", now)
            return None
        answers = answers_for(session, meeting.id)
        return Due(
            reminder_id=reminder_id,
            kind=kind,
            meeting_id=meeting.id,
            sequence=meeting.sequence,
            channel_id=meeting.group.channel_id,
            welcome_ts=meeting.group.welcome_ts,
            member_ids=tuple(meeting.group.member_ids),
            no_case=tuple(u for u, a in answers.items() if a == "no_case"),
            facts=meeting_facts(meeting),
            tr=group_translator(meeting.group),
        )


def _rules_link(services: Services, due: Due) -> str | None:
    if not due.welcome_ts:
        return None
    try:
        return str(
            services.client.chat_getPermalink(channel=due.channel_id, message_ts=due.welcome_ts)[
                "permalink"
            ]
        )
    except SlackApiError:
        logger.warning("no permalink for the welcome in channel %s", due.channel_id)
        return None


def _send(services: Services, due: Due) -> list[Outcome]:
    key = f"meeting:{due.meeting_id}:v{due.sequence}:{due.kind.value}"
    client = services.client
    if due.kind is ReminderKind.CASE_REQUEST:
        message = case_request_message(due.tr, due.facts)
        return [
            send_once(
                services,
                f"{key}:{member}",
                lambda member=member: client.chat_postMessage(channel=member, **message),
            )
            for member in due.member_ids
        ]
    if due.kind is ReminderKind.AGENDA:
        message = agenda_message(due.tr, due.facts, due.no_case, _rules_link(services, due))
    elif due.kind is ReminderKind.SOON:
        message = soon_message(due.tr, due.facts)
    elif due.kind is ReminderKind.START:
        message = start_message(due.tr, due.facts)
    else:
        return [propose_next_meeting(services, due.meeting_id, key)]
    return [
        send_once(services, key, lambda: client.chat_postMessage(channel=due.channel_id, **message))
    ]


def deliver_reminder(services: Services, reminder_id: int) -> None:
    """Send the reminder if due; idempotent, so a retry or a second process sends nothing twice."""
    due = _due(services, reminder_id)
    if due is None:
        return
    outcomes = _send(services, due)
    if Outcome.RETRY in outcomes:
        return
    with services.db.begin() as session:
        reminder = get_reminder(session, reminder_id)
        if reminder is not None and reminder.status == PENDING:
            finish_reminder(session, reminder, "sent", services.clock())
    logger.info("reminder %s (%s) done: %s", reminder_id, due.kind, [o.value for o in outcomes])
