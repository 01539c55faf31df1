"""Meeting records for professional registers: who was present (members mark themselves during
the opening round, the chair corrects afterwards), when and how long the meeting was, which
methods it used and how many cases it discussed. Never any case content.

Each attendee gets a proof of participation by DM; `/intervisie attendance` gives a member
their yearly overview and `/intervisie history` a group's history as CSV."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from methods.attendance import Attended, Target, YearOverview, minutes_between, year_overview
from methods.scheduling import zone
from rendering.attendance_files import (
    HistoryRow,
    Proof,
    history_csv,
    local_date,
    reader_date,
)
from rendering.attendance_messages import Recorded, presence_blocks
from rendering.attendance_papers import overview_pdf, proof_pdf
from rendering.followup_messages import shared_follow_ups
from rendering.i18n import Translator
from rendering.run_messages import opening_message
from storage.attendance import (
    add_record,
    attendees,
    get_record,
    group_history,
    mark_present,
    records_attended,
    set_attendees,
)
from storage.meetings import STARTED, get_meeting
from storage.models import Group, Meeting, MeetingRecord
from storage.people import get_person, set_target
from storage.proofs import issue_proof, withdraw_proofs
from storage.runs import DONE, runs_of
from usecases.answers import Answer
from usecases.asynchronous import LIVE
from usecases.delivery import Outcome, send_dms, send_once_soon, to_each
from usecases.files import File, dm_files
from usecases.followup import reported_follow_ups
from usecases.meetings import group_translator, group_zone
from usecases.sending import retry_after, without_waiting
from usecases.services import Services
from usecases.verification import fingerprint, proof_json

logger = logging.getLogger(__name__)


def attended(record: MeetingRecord, group_name: str) -> Attended:
    return Attended(
        meeting_id=record.meeting_id,
        group_name=group_name,
        started_at=record.started_at,
        ended_at=record.ended_at,
        minutes=record.minutes,
        methods=record.methods,
        cases_discussed=record.cases_discussed,
    )


def _recorded(record: MeetingRecord | None) -> Recorded | None:
    if record is None:
        return None
    return Recorded(record.minutes, record.cases_discussed, record.corrected_by)


def opening_post(session: Session, meeting: Meeting) -> dict[str, Any]:
    """The started meeting's message as it is now: who opened it, the check-in, the follow-ups
    brought up, today's cases and, for a meeting held live, who is here (or what was recorded)."""
    tr = group_translator(meeting.group)
    runs = runs_of(session, meeting.id)
    live = all(run.mode == LIVE for run in runs)
    shared, private = reported_follow_ups(session, meeting.id)
    presence = (
        presence_blocks(
            tr,
            meeting.id,
            attendees(session, meeting.id),
            _recorded(get_record(session, meeting.id)),
        )
        if live
        else []
    )
    return opening_message(
        tr,
        meeting.group.name,
        [run.case.title for run in runs],
        shared_follow_ups(tr, shared, private),
        opened_by=meeting.started_by,
        presence=presence,
        asynchronous=not live,
    )


def refresh_opening(services: Services, meeting_id: int) -> None:
    """Bring the opening message up to date: who is here, or what was recorded."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None or meeting.opening_ts is None:
            return
        channel, ts = meeting.group.channel_id, meeting.opening_ts
        message = opening_post(session, meeting)
    key = f"opening:{meeting_id}"
    try:
        with without_waiting():  # what comes after it in this thread goes on meanwhile
            services.client.chat_update(channel=channel, ts=ts, **message)
        services.updates.superseded(key)
    except SlackApiError as error:
        wait = retry_after(error)
        if wait is None:
            logger.exception(
                "could not update the opening message of meeting %s",
                meeting_id,
                extra={"meeting": meeting_id},
            )
            return
        # Over Slack's limit: shown as it is then, once the limit allows.
        services.updates.after(key, wait, partial(refresh_opening, services, meeting_id))
    except OSError:
        logger.exception(
            "could not update the opening message of meeting %s",
            meeting_id,
            extra={"meeting": meeting_id},
        )


def mark_self_present(services: Services, meeting_id: int, user_id: str) -> Answer:
    """A member's one click in the opening round."""
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None or not meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        if meeting.status != STARTED or get_record(session, meeting_id) is not None:
            return Answer.CLOSED
        added = mark_present(session, meeting_id, user_id, user_id, services.clock())
    if added:
        refresh_opening(services, meeting_id)
    return Answer.DONE


def record_meeting_end(session: Session, meeting: Meeting, now: datetime) -> MeetingRecord:
    """The meeting has ended: write down what it was (once)."""
    done = [run for run in runs_of(session, meeting.id) if run.status == DONE]
    started = meeting.started_at or meeting.starts_at
    return add_record(
        session,
        meeting.id,
        meeting.group_id,
        started,
        now,
        minutes_between(started, now),
        list(dict.fromkeys(run.method_id for run in done)),
        len(done),
    )


def may_correct(session: Session, meeting: Meeting, user_id: str) -> bool:
    """The meeting's chairs: who started it, who chaired one of its cases, the facilitator."""
    chairs = {run.chair_id for run in runs_of(session, meeting.id)}
    return user_id in chairs | {meeting.started_by, meeting.group.facilitator_id}


def correction_refusal(
    session: Session, meeting: Meeting | None, team_id: str, user_id: str
) -> Answer | None:
    if meeting is None or not meeting.group.may_act(team_id, user_id):
        return Answer.NOT_A_MEMBER
    if get_record(session, meeting.id) is None:
        return Answer.CLOSED
    if not may_correct(session, meeting, user_id):
        return Answer.NOT_ALLOWED
    return None


def outsiders(group: Group, user_ids: Sequence[str]) -> list[str]:
    """Who of `user_ids` is neither a member nor the facilitator of the group."""
    return [u for u in user_ids if not group.may_act(group.team_id, u)]


def correct(
    services: Services, meeting_id: int, user_id: str, present: Sequence[str], minutes: int
) -> Answer:
    """The chair's correction: exactly these people were present, for this many minutes."""
    now = services.clock()
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id)
        refused = correction_refusal(session, meeting, services.team_id, user_id)
        if refused is not None or meeting is None:
            return refused or Answer.NOT_A_MEMBER
        before = set(attendees(session, meeting_id))
        set_attendees(session, meeting_id, present, user_id, now)
        record = get_record(session, meeting_id)
        assert record is not None
        record.minutes = minutes
        record.corrected_by, record.corrected_at = user_id, now
        language = meeting.group.language
        started_at, zone_of_group = record.started_at, group_zone(meeting.group)
        removed = sorted(before - set(present))
        withdraw_proofs(session, meeting_id, removed, now)
        group_name = meeting.group.name
    logger.info(
        "attendance of meeting %s corrected by %s",
        meeting_id,
        user_id,
        extra={"meeting": meeting_id},
    )
    refresh_opening(services, meeting_id)
    send_proofs(services, meeting_id)
    send_dms(
        services,
        to_each(
            services,
            f"meeting:{meeting_id}:removed:{now.isoformat()}",
            removed,
            language,
            lambda tr: {
                "text": tr.t(
                    "attendance.removed",
                    group=group_name,
                    date=reader_date(tr, started_at, zone_of_group),
                )
            },
        ),
    )
    return Answer.DONE


def _zone_of(services: Services, user_id: str, fallback: ZoneInfo) -> ZoneInfo:
    return zone(services.directory.profile(user_id).tz or "") or fallback


def _name_of(services: Services, user_id: str) -> str:
    return services.directory.profile(user_id).name or user_id


def send_proofs(services: Services, meeting_id: int) -> list[Outcome]:
    """DM each attendee their proof of participation, a PDF in their language with its own
    verification code. A proof goes out again only when what it says changed (a correction):
    then it gets a new code, and the old one says it was replaced."""
    with services.db() as session:
        meeting = get_meeting(session, meeting_id)
        record = get_record(session, meeting_id)
        if meeting is None or record is None:
            return []
        group = meeting.group
        present = attendees(session, meeting_id)
        facts = attended(record, group.name)
        corrected_at = record.corrected_at
    profiles = {u: services.directory.profile(u) for u in present}  # each read once
    names = {u: profile.name or u for u, profile in profiles.items()}
    outcomes = []
    for member in present:
        profile, others = profiles[member], [u for u in present if u != member]
        tz = zone(profile.tz or "") or group_zone(group)
        proof = Proof(
            name=names[member],
            group=group.name,
            meeting=facts,
            others=tuple(names[u] for u in others) if group.share_attendee_names else None,
            other_count=len(others),
            reference=meeting.uid,
            corrected_at=corrected_at,
            tz=tz,
        )
        said = proof_json(proof)
        mark = fingerprint(said)
        code = _issue(services, meeting_id, member, mark, said)
        tr = Translator(profile.language_in(group.language))

        key = f"meeting:{meeting_id}:proof:{member}:{mark}"
        sender = _proof_sender(services, member, proof, code, tr)
        outcomes.append(send_once_soon(services, key, sender))
    return outcomes


def _proof_sender(
    services: Services, member: str, proof: Proof, code: str, tr: Translator
) -> Callable[[], SlackResponse]:
    """DM the member their proof; the paper is laid out only by the one caller that sends it."""

    def send() -> SlackResponse:
        date = local_date(proof.meeting.started_at, proof.tz)
        pdf = proof_pdf(tr, proof, code, services.settings.public_url)
        paper = File(pdf, f"intervisie-{date}.pdf", tr.text("attendance.proof_title"))
        comment = tr.t(
            "attendance.proof_comment",
            group=proof.group,
            date=reader_date(tr, proof.meeting.started_at, proof.tz),
        )
        return dm_files(services.client, member, comment, [paper])

    return send


def _issue(services: Services, meeting_id: int, member: str, mark: str, said: str) -> str:
    """The verification code of the member's proof with these facts (issued once, even when
    two processes send the proofs at the same moment)."""
    try:
        with services.db.begin() as session:
            return issue_proof(session, meeting_id, member, mark, said, services.clock()).code
    except IntegrityError:
        with services.db.begin() as session:
            return issue_proof(session, meeting_id, member, mark, said, services.clock()).code


def target_of(session: Session, team_id: str, user_id: str) -> Target:
    person = get_person(session, team_id, user_id)
    if person is None or person.target_meetings is None or person.target_minutes is None:
        return Target()
    return Target(person.target_meetings, person.target_minutes)


def save_target(services: Services, user_id: str, meetings: int, minutes: int) -> None:
    with services.db.begin() as session:
        set_target(session, services.team_id, user_id, meetings, minutes)


def overview_for(
    services: Services, user_id: str, year: int | None
) -> tuple[YearOverview, ZoneInfo]:
    """The member's overview for `year` (this year in their own zone when None)."""
    tz = _zone_of(services, user_id, ZoneInfo("UTC"))
    with services.db() as session:
        meetings = [
            attended(r, g.name) for r, g in records_attended(session, services.team_id, user_id)
        ]
        target = target_of(session, services.team_id, user_id)
    chosen = year if year is not None else services.clock().astimezone(tz).year
    return year_overview(meetings, chosen, tz, target), tz


def send_overview(
    services: Services, user_id: str, tr: Translator, overview: YearOverview, tz: ZoneInfo
) -> None:
    """DM the member their overview as a file."""
    content = overview_pdf(tr, _name_of(services, user_id), overview, tz)
    title = tr.text("attendance.overview_title", year=overview.year)
    dm_files(
        services.client,
        user_id,
        tr.t("attendance.overview_comment", year=overview.year),
        [File(content, f"intervisie-attendance-{overview.year}.pdf", title)],
    )


def send_history(services: Services, group_id: int, user_id: str, tr: Translator) -> bool:
    """DM the group's history as CSV; False when there is nothing recorded yet."""
    with services.db() as session:
        rows_and_counts = group_history(session, group_id)
        group = session.get(Group, group_id)
        if group is None or not rows_and_counts:
            return False
        members = len(group.member_ids)
        rows = [
            HistoryRow(attended(record, group.name), present, members)
            for record, present in rows_and_counts
        ]
        name, tz = group.name, group_zone(group)
    comment = tr.t("attendance.history_comment", group=name)
    dm_files(
        services.client,
        user_id,
        comment,
        [File(history_csv(tr, rows, tz), "intervisie-history.csv", comment)],
    )
    return True
