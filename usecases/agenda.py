"""The agenda of a meeting: posted the day before, kept up to date while members vote on the
cases; a few minutes ahead the same message gets the Start button, and once the meeting starts
it becomes the opening (usecases/records.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from methods.library import estimated_minutes
from rendering.case_lines import CaseLine
from rendering.i18n import Translator
from rendering.meeting_facts import MeetingFacts
from rendering.reminder_messages import agenda_message, start_message
from storage.cases import SELECTED, cases_for_meeting
from storage.meetings import SCHEDULED, answers_for, get_meeting
from storage.models import Meeting
from usecases.meetings import group_translator, meeting_facts
from usecases.records import refresh_opening
from usecases.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Agenda:
    meeting_id: int
    channel_id: str
    welcome_ts: str | None
    agenda_ts: str | None
    start_ts: str | None
    facts: MeetingFacts
    cases: tuple[CaseLine, ...]
    no_case: tuple[str, ...]
    chosen_by: str | None
    started: bool
    tr: Translator


def load_agenda(session: Session, meeting: Meeting) -> Agenda:
    answers = answers_for(session, meeting.id)
    return Agenda(
        meeting_id=meeting.id,
        channel_id=meeting.group.channel_id,
        welcome_ts=meeting.group.welcome_ts,
        agenda_ts=meeting.agenda_ts,
        start_ts=meeting.start_ts,
        facts=meeting_facts(meeting),
        cases=tuple(
            CaseLine(
                case_id=case.id,
                title=case.title,
                owner_id=case.owner_id,
                kind=case.kind,
                urgency=case.urgency,
                method=case.method,
                minutes=estimated_minutes(case.method),
                voter_ids=tuple(case.voter_ids),
                chosen=case.status == SELECTED,
            )
            for case in cases_for_meeting(session, meeting.id)
        ),
        no_case=tuple(user for user, answer in answers.items() if answer == "no_case"),
        chosen_by=meeting.cases_chosen_by,
        started=meeting.status != SCHEDULED,
        tr=group_translator(meeting.group),
    )


def rules_link(services: Services, agenda: Agenda) -> str | None:
    if not agenda.welcome_ts:
        return None
    try:
        response = services.client.chat_getPermalink(
            channel=agenda.channel_id, message_ts=agenda.welcome_ts
        )
    except (SlackApiError, OSError):
        logger.warning("no permalink for the welcome in channel %s", agenda.channel_id)
        return None
    return str(response["permalink"])


def agenda_post(services: Services, agenda: Agenda) -> dict[str, Any]:
    return agenda_message(
        agenda.tr,
        agenda.facts,
        agenda.cases,
        agenda.no_case,
        rules_link(services, agenda),
        agenda.chosen_by,
    )


def start_post(services: Services, agenda: Agenda, soon: bool) -> dict[str, Any]:
    """The agenda with the meeting's moment and its Start button above it."""
    return start_message(agenda.tr, agenda.facts, agenda_post(services, agenda), soon)


def meeting_message_ts(agenda: Agenda) -> str | None:
    """The meeting's one message at top level before it starts: the agenda, which the start
    message edits (or the start message alone, when no agenda was posted)."""
    return agenda.start_ts or agenda.agenda_ts


def refresh_agenda(services: Services, meeting_id: int) -> None:
    """Show the current votes (or the chosen cases) in the meeting's message, until the
    meeting starts and the message becomes its opening."""
    with services.refreshing(f"agenda:{meeting_id}"):
        with services.db() as session:
            meeting = get_meeting(session, meeting_id)
            if meeting is None:
                return
            agenda = load_agenda(session, meeting)
        ts = meeting_message_ts(agenda)
        if ts is None or agenda.started:
            return
        if agenda.start_ts:
            message = start_post(services, agenda, soon=services.clock() < agenda.facts.starts_at)
        else:
            message = agenda_post(services, agenda)
        try:
            services.client.chat_update(channel=agenda.channel_id, ts=ts, **message)
        except (SlackApiError, OSError):
            logger.exception(
                "could not update the agenda of meeting %s",
                meeting_id,
                extra={"meeting": meeting_id},
            )
            return
        keep_opening(services, meeting_id)


def keep_opening(services: Services, meeting_id: int) -> None:
    """After an edit of the meeting's message made from what it showed before the start: if the
    meeting started meanwhile, show its opening again."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        started = meeting is not None and meeting.opening_ts is not None
    if started:
        refresh_opening(services, meeting_id)
