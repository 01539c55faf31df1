"""Cases: submitted by a member for a meeting of their group, voted on in the agenda, chosen
by any member, posted in the meeting's thread only with the owner's consent, and rolled over
to the next meeting when not chosen. Case content never leaves the group."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from methods.cases import Candidate, CaseFields, choose
from methods.scheduling import zone
from rendering.case_lines import thread_post
from rendering.case_modal import Target
from rendering.i18n import Translator
from rendering.my_cases import MyCase, consent_message, rolled_over_message
from rendering.times import slack_time
from storage.cases import (
    OPEN_STATUSES,
    SELECTED,
    WITHDRAWN,
    add_case,
    cases_for_meeting,
    cases_of,
    fields_of_case,
    get_case,
    toggle_case_vote,
    update_case,
)
from storage.events import remember_event
from storage.groups import get_group, groups_of
from storage.meetings import SCHEDULED, claim_case_choice, get_meeting, upcoming_meetings
from storage.models import Case, Group, Meeting
from storage.runs import run_of_case
from usecases.agenda import refresh_agenda
from usecases.answers import Answer
from usecases.delivery import Notice, send_dms, send_once_soon
from usecases.meetings import group_translator, group_zone, move_open_cases
from usecases.people import known_translator
from usecases.services import Services

logger = logging.getLogger(__name__)
MEETING_TARGET = "m"
GROUP_TARGET = "g"


def targets_for(services: Services, user_id: str, tr: Translator) -> list[Target]:
    """The meetings `user_id` can bring a case to, soonest first, per group; a group without a
    planned meeting offers its next one."""
    profile = services.directory.profile(user_id)
    tz = zone(profile.tz or "") or ZoneInfo("UTC")
    now = services.clock()
    targets: list[Target] = []
    with services.db() as session:
        for group in groups_of(session, services.team_id, user_id):
            meetings = upcoming_meetings(session, group.id, now)
            targets += [
                Target(
                    f"{MEETING_TARGET}:{m.id}",
                    group.id,
                    group.name,
                    tr.t(
                        "case.target_meeting",
                        name=group.name,
                        when=f"{m.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
                    ),
                )
                for m in meetings
            ]
            if not meetings:
                targets.append(
                    Target(
                        f"{GROUP_TARGET}:{group.id}",
                        group.id,
                        group.name,
                        tr.t("case.target_next", name=group.name),
                    )
                )
    return targets


def case_translator(
    services: Services, user_id: str, group_id: int | None, meeting_id: int | None
) -> Translator:
    """The member's own language; else that of the group the case is for, when known."""
    language = None
    with services.db() as session:
        meeting = get_meeting(session, meeting_id) if meeting_id else None
        group = meeting.group if meeting else (get_group(session, group_id) if group_id else None)
        if group is None:
            groups = groups_of(session, services.team_id, user_id)
            group = groups[0] if len(groups) == 1 else None
        if group is not None and group.may_act(services.team_id, user_id):
            language = group.language
    return services.directory.translator(user_id, language)


def target_of(
    session: Session, team_id: str, value: str, user_id: str, now: datetime
) -> tuple[Group, int | None] | str:
    """The group and meeting a target names, or the error (a text key) to show."""
    kind, _, raw_id = value.partition(":")
    if not raw_id.isdigit():
        return "case.error.target"
    if kind == MEETING_TARGET:
        meeting = get_meeting(session, int(raw_id))
        if meeting is None or not meeting.group.may_act(team_id, user_id):
            return "case.error.target"
        if meeting.status != SCHEDULED or meeting.starts_at <= now:
            return "case.error.meeting_past"
        return meeting.group, meeting.id
    group = get_group(session, int(raw_id)) if kind == GROUP_TARGET else None
    if group is None or not group.may_act(team_id, user_id):
        return "case.error.target"
    later = upcoming_meetings(session, group.id, now)
    return group, later[0].id if later else None


def editable(case: Case, now: datetime) -> bool:
    """The owner may change or withdraw a case until its meeting starts."""
    if case.status not in OPEN_STATUSES:
        return False
    meeting = case.meeting
    return meeting is None or (meeting.status == SCHEDULED and meeting.starts_at > now)


def save_case(
    services: Services,
    owner_id: str,
    case_id: int | None,
    target: str,
    fields: CaseFields,
    submission: str | None = None,
) -> tuple[int | None, dict[str, str]]:
    """Store a new or edited case; field errors (as text keys) when the target is wrong.
    A second submission of the same modal (`submission`: a double click) stores nothing and
    returns no case and no errors."""
    now = services.clock()
    try:
        with services.db.begin() as session:
            return _save_case(
                session, services.team_id, owner_id, case_id, target, fields, submission, now
            )
    except IntegrityError:
        return None, {}


def _save_case(
    session: Session,
    team_id: str,
    owner_id: str,
    case_id: int | None,
    target: str,
    fields: CaseFields,
    submission: str | None,
    now: datetime,
) -> tuple[int | None, dict[str, str]]:
    found = target_of(session, team_id, target, owner_id, now)
    if isinstance(found, str):
        return None, {"target": found}
    group, meeting_id = found
    if submission is not None and not remember_event(session, submission, now):
        return None, {}  # claimed only once the case is valid, so a corrected resubmit counts
    if case_id is None:
        return add_case(session, group, meeting_id, owner_id, fields, now).id, {}
    case = get_case(session, case_id)
    if case is None or case.owner_id != owner_id or not editable(case, now):
        return None, {"title": "case.error.not_editable"}
    update_case(session, case, meeting_id, fields, now)
    return case.id, {}


def own_case(services: Services, case_id: int, user_id: str) -> tuple[CaseFields, str, bool] | None:
    """The owner's case: its fields, its target and whether it can still change."""
    with services.db() as session:
        case = get_case(session, case_id)
        if case is None or case.owner_id != user_id or case.status == WITHDRAWN:
            return None
        target = (
            f"{MEETING_TARGET}:{case.meeting_id}"
            if case.meeting_id
            else f"{GROUP_TARGET}:{case.group_id}"
        )
        return fields_of_case(case), target, editable(case, services.clock())


def withdraw(services: Services, case_id: int, user_id: str) -> Answer:
    with services.db.begin() as session:
        case = get_case(session, case_id)
        if case is None or case.owner_id != user_id:
            return Answer.NOT_A_MEMBER
        if not editable(case, services.clock()):
            return Answer.CLOSED
        case.status = WITHDRAWN
        case.updated_at = services.clock()
        meeting_id = case.meeting_id
    if meeting_id is not None:
        refresh_agenda(services, meeting_id)
    return Answer.DONE


def my_cases(
    services: Services, user_id: str, tr: Translator, statuses: tuple[str, ...] = OPEN_STATUSES
) -> list[MyCase]:
    now = services.clock()
    with services.db() as session:
        return [
            MyCase(
                case_id=case.id,
                title=case.title,
                group_name=case.group.name,
                when=slack_time(case.meeting.starts_at, group_zone(case.group), tr)
                if case.meeting
                else tr.t("case.next_meeting"),
                status=case.status,
                editable=editable(case, now),
            )
            for case in cases_of(session, user_id, statuses)
        ]


def vote(services: Services, case_id: int, user_id: str) -> Answer:
    with services.db.begin() as session:
        case = get_case(session, case_id)
        if case is None or not case.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        meeting = case.meeting
        if meeting is None or meeting.cases_chosen_by or case.status not in OPEN_STATUSES:
            return Answer.CLOSED
        toggle_case_vote(session, case, user_id, services.clock())
        meeting_id = meeting.id
    refresh_agenda(services, meeting_id)
    return Answer.DONE


def choose_cases(
    services: Services, meeting_id: int, user_id: str, starting: bool = False
) -> Answer:
    """Any member confirms the selection: the most-voted cases fill the meeting's slots.
    `starting`: the meeting starts now, so an owner cannot be asked to share beforehand."""
    notices: list[Notice] = []
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None or not meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        if meeting.status != SCHEDULED or not claim_case_choice(session, meeting_id, user_id):
            return Answer.CLOSED
        cases = list(cases_for_meeting(session, meeting_id))
        chosen = set(
            choose(
                [Candidate(c.id, len(c.votes), c.urgency, n) for n, c in enumerate(cases)],
                meeting.case_slots,
            )
        )
        for case in cases:
            if case.id in chosen:
                case.status = SELECTED
                tr = known_translator(
                    session, services.team_id, case.owner_id, meeting.group.language
                )
                when = slack_time(meeting.starts_at, group_zone(meeting.group), tr)
                notices.append(
                    Notice(
                        f"case:{case.id}:consent:{meeting_id}",
                        case.owner_id,
                        consent_message(tr, case.id, case.title, when, starting),
                    )
                )
        notices += _roll_over_notices(session, services.team_id, meeting_id)
    refresh_agenda(services, meeting_id)
    send_dms(services, notices)
    return Answer.DONE


def _roll_over_notices(
    session: Session, team_id: str, meeting_id: int, cancelled: bool = False
) -> list[Notice]:
    meeting = get_meeting(session, meeting_id)
    if meeting is None:
        return []
    moved = move_open_cases(session, meeting)
    notices = []
    for case_id in moved:
        case = get_case(session, case_id)
        if case is None:
            continue
        tr = known_translator(session, team_id, case.owner_id, case.group.language)
        when = (
            slack_time(case.meeting.starts_at, group_zone(case.group), tr)
            if case.meeting
            else tr.t("case.next_meeting")
        )
        notices.append(
            Notice(
                f"case:{case.id}:rolled:{meeting_id}",
                case.owner_id,
                rolled_over_message(tr, case.title, when, cancelled),
            )
        )
    return notices


def roll_over(services: Services, meeting_id: int, cancelled: bool = False) -> None:
    """After a meeting, or when it is cancelled, the cases it did not take move on to the next
    one; their owners are told."""
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None:
            return
        notices = _roll_over_notices(session, services.team_id, meeting_id, cancelled)
    send_dms(services, notices)


def _case_thread(session: Session, case: Case, meeting: Meeting) -> str | None:
    """Where an owner's case goes: its own thread once its run has begun, else the meeting's
    thread (the opening round once the meeting started, the agenda or start message before)."""
    run = run_of_case(session, case.id)
    if run is not None and run.parent_ts:
        return run.parent_ts
    return meeting.opening_ts or meeting.agenda_ts or meeting.start_ts


def answer_consent(
    services: Services, case_id: int, user_id: str, yes: bool
) -> tuple[Answer, str, Translator | None]:
    """The owner agrees (or not) to post the full case in the meeting's thread."""
    with services.db.begin() as session:
        case = get_case(session, case_id)
        if case is None or case.owner_id != user_id:
            return Answer.NOT_A_MEMBER, "", None
        meeting = case.meeting
        tr = known_translator(session, services.team_id, user_id, case.group.language)
        if case.status != SELECTED or meeting is None or case.consent is not None:
            return Answer.CLOSED, case.title, tr
        case.consent = "yes" if yes else "no"
        channel = case.group.channel_id
        thread = _case_thread(session, case, meeting)
        post = thread_post(group_translator(case.group), case.owner_id, fields_of_case(case))
        title = case.title
    if yes:
        send_once_soon(
            services,
            f"case:{case_id}:posted",
            lambda: services.client.chat_postMessage(channel=channel, thread_ts=thread, **post),
        )
    return Answer.DONE, title, tr
