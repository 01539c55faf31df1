"""Meetings: plan, move and cancel them with their reminders, and announce each change in the
group's channel with a calendar invite."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from methods.invite import Invite, invite_ics
from methods.scheduling import Decision, ReminderPolicy, initial_status, zone
from rendering.i18n import Translator
from rendering.markup import channel
from rendering.meeting_announcement import Change, announcement
from rendering.meeting_facts import MeetingFacts
from storage.cases import SUBMITTED, adopt_waiting_cases, cases_for_meeting, next_meeting_after
from storage.meetings import (
    CANCELLED,
    PENDING,
    add_meeting,
    cancel_reminders,
    get_meeting,
    set_reminders,
)
from storage.models import Group, Meeting
from usecases.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MeetingPlan:
    starts_at: datetime
    minutes: int
    location: str
    case_slots: int


def group_translator(group: Group) -> Translator:
    return Translator("nl" if group.language == "nl" else "en")


def group_zone(group: Group) -> ZoneInfo:
    return zone(group.timezone) or ZoneInfo("UTC")


def group_day(group: Group, moment: datetime | None) -> date | None:
    """The day `moment` falls on where the group lives."""
    return moment.astimezone(group_zone(group)).date() if moment is not None else None


def policy_of(group: Group) -> ReminderPolicy:
    return ReminderPolicy(
        group.case_request_days, group.agenda_hours, group.soon_minutes, group.follow_up_days
    )


def _plan_reminders(session: Session, meeting: Meeting, now: datetime) -> None:
    group = meeting.group
    moments = policy_of(group).moments(meeting.starts_at, meeting.minutes, group_zone(group))
    set_reminders(
        session,
        meeting,
        [
            (
                kind.value,
                due,
                PENDING if initial_status(kind, due, now) is Decision.WAIT else "skipped",
            )
            for kind, due in moments.items()
        ],
        now,
    )


def plan_meeting(
    session: Session, group: Group, plan: MeetingPlan, created_by: str, now: datetime
) -> Meeting:
    meeting = add_meeting(
        session,
        group,
        uid=f"{uuid.uuid4()}@intervisie-bot",
        starts_at=plan.starts_at,
        minutes=plan.minutes,
        location=plan.location,
        case_slots=plan.case_slots,
        created_by=created_by,
        now=now,
    )
    _plan_reminders(session, meeting, now)
    adopt_waiting_cases(session, meeting, now)
    return meeting


def move_meeting(session: Session, meeting: Meeting, plan: MeetingPlan, now: datetime) -> None:
    """Reschedule: the calendar entry keeps its UID; every pending reminder moves with it."""
    meeting.starts_at = plan.starts_at
    meeting.minutes = plan.minutes
    meeting.location = plan.location
    meeting.case_slots = plan.case_slots
    meeting.sequence += 1
    meeting.start_ts = None  # the start message was for the old moment; the agenda shows the new
    meeting.updated_at = now
    _plan_reminders(session, meeting, now)


def cancel_meeting(session: Session, meeting: Meeting, now: datetime) -> None:
    meeting.status = CANCELLED
    meeting.sequence += 1
    meeting.updated_at = now
    cancel_reminders(session, meeting, now)


def move_open_cases(session: Session, meeting: Meeting) -> list[int]:
    """Cases of `meeting` that were not taken move to the group's next meeting, or wait for it
    when none is planned yet: nothing a member brought in is lost. Votes were for this meeting's
    choice, so a moved case starts the next one with none. Returns their ids."""
    later = next_meeting_after(session, meeting.group_id, meeting.starts_at)
    moved = []
    for case in cases_for_meeting(session, meeting.id):
        if case.status == SUBMITTED:
            case.meeting_id = later.id if later is not None and later.id != meeting.id else None
            case.votes.clear()
            moved.append(case.id)
    session.flush()
    return moved


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    return MeetingFacts(
        meeting_id=meeting.id,
        group_name=meeting.group.name,
        starts_at=meeting.starts_at,
        minutes=meeting.minutes,
        location=meeting.location,
        case_slots=meeting.case_slots,
        tz=group_zone(meeting.group),
    )


def announce(services: Services, meeting_id: int, change: Change, actor_id: str) -> None:
    """Tell the channel, with an .ics that adds, updates or removes the calendar entry."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None:
            return
        tr = group_translator(meeting.group)
        channel_id = meeting.group.channel_id
        facts = meeting_facts(meeting)
        invite = Invite(
            uid=meeting.uid,
            sequence=meeting.sequence,
            title=tr.text("invite.title", name=meeting.group.name),
            description=tr.t("invite.description"),
            location=meeting.location,
            start=meeting.starts_at,
            minutes=meeting.minutes,
            stamp=services.clock(),
            cancelled=meeting.status == CANCELLED,
        )
    client = services.client
    try:
        posted = client.chat_postMessage(
            channel=channel_id, **announcement(tr, facts, change, actor_id)
        )
        client.files_upload_v2(
            channel=channel_id,
            thread_ts=posted["ts"],
            content=invite_ics(invite),
            filename="intervisie.ics",
            title=tr.t("invite.file_title"),
        )
    except (SlackApiError, OSError):
        logger.exception(
            "could not announce meeting %s in channel %s",
            meeting_id,
            channel_id,
            extra={"meeting": meeting_id},
        )
        services.client.chat_postMessage(
            channel=actor_id, text=tr.t("meeting.announce_failed", channel=channel(channel_id))
        )
