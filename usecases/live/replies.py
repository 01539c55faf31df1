"""What members add to a case: contributions through the modal, replies in the case's thread
(edited or deleted while the phase runs), and the owner's reminder to listen."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from rendering.markup import Mrkdwn
from storage.events import remember_event
from storage.models import CaseRun
from storage.runs import (
    RUNNING,
    add_contribution,
    add_reply,
    edit_reply,
    get_run,
    remove_reply,
    run_in_thread,
)
from usecases.answers import Answer
from usecases.live.outbox import refresh_parent
from usecases.live.state import method_of
from usecases.people import known_translator
from usecases.services import Services

logger = logging.getLogger(__name__)


def contribute(
    services: Services,
    run_id: int,
    user_id: str,
    text: str,
    submission: str | None = None,
    phase_index: int | None = None,
) -> Answer:
    """A question, hypothesis or advice for the current collection phase (`phase_index`, the
    phase the modal was opened in); only counted in the channel until the phase ends. A second
    submission of the same modal adds nothing."""
    now = services.clock()
    try:
        with services.db.begin() as session:
            run = get_run(session, run_id)
            if run is None or not run.meeting.group.may_act(services.team_id, user_id):
                return Answer.NOT_A_MEMBER
            phase = method_of(session, run).phases[run.phase]
            if run.status != RUNNING:
                return Answer.CLOSED
            if not phase.collect or phase_index not in (None, run.phase):
                return Answer.ROUND_CLOSED
            if submission is not None and not remember_event(session, submission, now):
                return Answer.DONE
            add_contribution(session, run_id, phase.id, user_id, text, now)
    except IntegrityError:
        return Answer.DONE  # the same modal, submitted twice at once
    refresh_parent(services, run_id)
    return Answer.DONE


@dataclass(frozen=True)
class Reply:
    """A message in a channel that may be a reply in a case's thread."""

    channel_id: str
    thread_ts: str
    user_id: str
    message_ts: str
    text: str


def thread_reply(services: Services, reply: Reply) -> None:
    """A member's reply in a case's thread: during a collection phase it is a contribution,
    exactly like one added with the button. The case owner who replies in a round that is for
    listening is reminded of that, once per phase. Anything else is neither stored nor logged."""
    now = services.clock()
    reminder: Mrkdwn | None = None
    with services.db.begin() as session:
        run = run_in_thread(session, reply.channel_id, reply.thread_ts)
        if run is None or not _may_reply(run, services.team_id, reply.user_id):
            return
        method = method_of(session, run)
        phase = method.phases[run.phase]
        if reply.user_id == run.case.owner_id and phase.owner_listens:
            if run.owner_reminded_phase == run.phase:
                return
            run.owner_reminded_phase = run.phase
            tr = known_translator(
                session, services.team_id, reply.user_id, run.meeting.group.language
            )
            speaks = next(
                (p for p in method.phases[run.phase + 1 :] if not p.owner_listens),
                method.phases[-1],
            )
            reminder = tr.t(
                "run.listen_reminder",
                phase=phase.title(tr.language),
                next=speaks.title(tr.language),
            )
        elif not phase.collect or not add_reply(
            session, run.id, phase.id, reply.user_id, reply.text, reply.message_ts, now
        ):
            return
        run_id = run.id
    if reminder is None:
        refresh_parent(services, run_id)
        return
    try:
        services.client.chat_postEphemeral(
            channel=reply.channel_id, user=reply.user_id, thread_ts=reply.thread_ts, text=reminder
        )
    except (SlackApiError, OSError):
        logger.warning(
            "could not remind the owner of case run %s to listen", run_id, extra={"run": run_id}
        )


def reply_changed(services: Services, reply: Reply, deleted: bool = False) -> None:
    """A reply was edited (or `deleted`) while its phase still runs: its contribution follows.
    Once the phase's list is posted, it stays as it was."""
    with services.db.begin() as session:
        run = run_in_thread(session, reply.channel_id, reply.thread_ts)
        if run is None or not _may_reply(run, services.team_id, reply.user_id):
            return
        phase = method_of(session, run).phases[run.phase]
        if deleted:
            changed = remove_reply(session, run.id, phase.id, reply.message_ts)
        else:
            changed = edit_reply(session, run.id, phase.id, reply.message_ts, reply.text)
        run_id = run.id
    if changed:
        refresh_parent(services, run_id)


def _may_reply(run: CaseRun, team_id: str, user_id: str) -> bool:
    return run.meeting.group.paused_at is None and run.meeting.group.may_act(team_id, user_id)
