"""A case run's outbox, sent in order and each message at most once; and starting the next case
of the meeting when one finishes (its last outbox message says so)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.orm import Session

from methods.engine import (
    Step,
    StepKind,
    start,
)
from rendering.attendance_messages import record_blocks
from rendering.run_messages import (
    closing_message,
    parent_message,
)
from storage.attendance import attendees
from storage.coaching import release_guest
from storage.meetings import (
    claim_deliveries,
    doubt_delivery,
    get_meeting,
    record_deliveries,
    release_delivery,
)
from storage.models import CaseRun, RunMessage
from storage.runs import (
    RUNNING,
    get_run,
    last_roles,
    mark_all_sent,
    mark_sent,
    next_waiting_run,
    outgoing,
    pending_messages,
    pending_messages_of,
    queue_messages,
    runs_of,
    set_parent_ts,
)
from usecases.asynchronous import (
    LIVE,
    may_post,
    post_moment,
)
from usecases.delivery import (
    IN_FLIGHT_PATIENCE,
    Outcome,
    noting_waits,
    send_once,
    send_once_soon,
)
from usecases.live.edits import edit_prompt, refresh_parent, stored_message, update_parent
from usecases.live.state import facts_of, heads_up_minutes, store_state, sync_timer
from usecases.live.steps import EDIT, FINISHED, MEMBER, OWNER, PARENT, THREAD, queue_steps
from usecases.meetings import group_translator
from usecases.panel import refresh_panel_of_meeting
from usecases.records import record_meeting_end, refresh_opening, send_proofs
from usecases.sending import delivering, in_doubt
from usecases.services import Services, Timer

logger = logging.getLogger(__name__)


RETRY_AFTER = timedelta(seconds=5)


@dataclass
class Outbox:
    """A run's unsent messages, and what sending them needs: read in the transaction that
    queued them, so that sending starts without reading the run again."""

    meeting_id: int
    owner: str
    # The channel and the parent message's ts (the thread), kept current as the parent is posted.
    where: dict[str, str | None]
    pending: list[tuple[int, str, str, str | None]]  # id, key, kind, body
    hold_until: datetime | None  # an asynchronous case outside common working time: wait
    parent: dict[str, Any] | None = None  # the parent message as it must read afterwards
    claimed: str | None = None  # the key of the message claimed for sending with the outbox
    stale: bool = False  # messages went out since the parent message was last brought up to date
    # The moment a timer woke the run for (None: a person moved it on), and when each message
    # was queued: a prompt's lateness is measured from the earlier of the two.
    due: datetime | None = None
    queued: dict[int, datetime] = field(default_factory=dict)
    live: bool = True  # an asynchronous case's prompts wait for working time by design


def read_outboxes(
    session: Session, runs: Sequence[CaseRun], now: datetime, scale: float
) -> dict[int, Outbox]:
    """The runs' outboxes, read in one query; each one's first message is claimed for sending
    (in one statement), so that sending it needs no transaction of its own."""
    unsent = pending_messages_of(session, [run.id for run in runs])
    outboxes = {run.id: _outbox(session, run, unsent.get(run.id, []), now, scale) for run in runs}
    first = {
        box.pending[0][1]: box
        for box in outboxes.values()
        if box.hold_until is None and box.pending and box.pending[0][2] not in (FINISHED, EDIT)
    }
    for key in claim_deliveries(session, list(first), now):
        first[key].claimed = key
    return outboxes


def release_untried(services: Services, outboxes: Iterable[Outbox]) -> None:
    """Claims made for sending that were never tried (the process is stopping): free again,
    so that the next process sends them at once instead of looking for them first."""
    untried = [box.claimed for box in outboxes if box.claimed is not None]
    if untried:
        with services.db.begin() as session:
            for key in untried:
                release_delivery(session, key)


def send_claimed(services: Services, outboxes: Iterable[Outbox]) -> None:
    """Send each outbox's claimed first message when it is a plain one in the thread (nearly
    every phase change has one), side by side, then record all that Slack took in one
    transaction. What Slack refused is released for the message-by-message delivery, which
    knows what to do."""
    sent = services.fanout.run([partial(_send_first, services, box) for box in outboxes])
    taken = [(box, ts) for box, ts in sent if ts is not None]
    if not taken:
        return
    with services.db.begin() as session:
        record_deliveries(
            session, [(b.pending[0][1], str(b.where["channel"]), ts) for b, ts in taken]
        )
        mark_all_sent(session, [(b.pending[0][0], ts) for b, ts in taken], services.clock())
    for box, _ in taken:
        message_id, key, kind, _ = box.pending.pop(0)
        arrived(services, box, message_id, kind)
        box.stale = _changes_parent(key, kind)


def arrived(services: Services, box: Outbox, message_id: int, kind: str) -> None:
    """Slack took a message: for a prompt in the case's thread, how late it came, for the
    host (a doubt or a wait within Slack's limits included)."""
    if kind != THREAD or not box.live:
        return
    queued = box.queued.get(message_id, services.clock())
    since = queued if box.due is None else min(box.due, queued)
    services.measures.prompt_sent((services.clock() - since).total_seconds())


def _send_first(services: Services, box: Outbox) -> tuple[Outbox, str | None]:
    """The outbox's claimed first message in the thread, and its ts once Slack took it."""
    channel, thread = box.where["channel"], box.where["thread"]
    if box.claimed is None or channel is None or thread is None:
        return box, None
    _, key, kind, body = box.pending[0]
    if kind != THREAD:
        return box, None
    box.claimed = None  # tried now: from here on, what becomes of it is known or in doubt
    asked = time.monotonic()
    try:
        with delivering(key):
            posted = services.client.chat_postMessage(
                channel=channel, thread_ts=thread, **stored_message(body)
            )
        services.fanout.observe(time.monotonic() - asked)
    except (SlackApiError, OSError) as error:
        with services.db.begin() as session:
            if in_doubt(error):  # Slack may have it: the delivery looks for it first
                doubt_delivery(session, key, services.clock(), IN_FLIGHT_PATIENCE)
            else:
                release_delivery(session, key)
        return box, None
    return box, str(posted["ts"])


def _outbox(
    session: Session, run: CaseRun, unsent: Sequence[RunMessage], now: datetime, scale: float
) -> Outbox:
    pending = [(m.id, m.key, m.kind, m.body) for m in unsent]
    queued = {m.id: m.created_at for m in unsent}
    hold = post_moment(session, run, now) if pending and not may_post(session, run, now) else None
    parent = None
    if hold is None and any(_changes_parent(key, kind) for _, key, kind, _ in pending):
        parent = parent_message(group_translator(run.meeting.group), facts_of(session, run, scale))
    return Outbox(
        meeting_id=run.meeting_id,
        owner=run.case.owner_id,
        where={"channel": run.meeting.group.channel_id, "thread": run.parent_ts},
        pending=pending,
        hold_until=hold,
        parent=parent,
        queued=queued,
        live=run.mode == LIVE,
    )


def deliver(
    services: Services,
    run_id: int,
    outbox: Outbox | None = None,
    later: dict[int, Callable[[], None]] | None = None,
) -> bool:
    """Send the run's outbox in order, each message at most once. Stops at a message Slack
    did not take (it is tried again shortly); returns whether everything went out. Bringing
    the parent message up to date can wait (`later`, by run), while other runs' prompts go out."""
    if outbox is None:
        with services.db() as session:
            run = get_run(session, run_id)
            if run is None:
                return True
            unsent = pending_messages(session, run_id)
            now, scale = services.clock(), services.settings.time_scale
            outbox = _outbox(session, run, unsent, now, scale)
    if outbox.hold_until is not None:
        # An asynchronous case says nothing outside the group's common working time.
        services.scheduler.sync_run(run_id, Timer(services.team_id, outbox.hold_until))
        return False
    stale = outbox.stale
    parent = outbox.parent
    for message_id, key, kind, body in outbox.pending:
        if kind == FINISHED:
            refresh_parent(services, run_id)
            stale, parent = False, None
            start_next_case(services, outbox.meeting_id, after=message_id)
            continue
        if kind == EDIT:  # editing is safe to repeat: no claim needed
            edit_prompt(services, run_id, json.loads(body or "{}"))
            with services.db.begin() as session:
                mark_sent(session, message_id, services.clock())
            continue
        message = stored_message(body)
        asked_to_wait: list[float] = []
        poster = _poster(services, run_id, kind, outbox.where, outbox.owner, message)
        claimed = key == outbox.claimed
        if claimed:
            outbox.claimed = None  # tried now: from here on, send_once knows what became of it
        outcome = send_once(
            services,
            key,
            noting_waits(poster, asked_to_wait),
            then=lambda session, posted, sent=message_id, kind=kind: mark_sent(
                session, sent, services.clock(), str(posted["ts"]) if kind == THREAD else None
            ),
            claimed=claimed,
        )
        if outcome in (Outcome.RETRY, Outcome.IN_FLIGHT):
            # Slack did not take it, or another process is sending it: keep the order and
            # look again shortly, or as soon as Slack's rate limit allows (the other process
            # goes on with the rest meanwhile).
            again = timedelta(seconds=asked_to_wait[0]) if asked_to_wait else RETRY_AFTER
            services.scheduler.sync_run(run_id, Timer(services.team_id, services.clock() + again))
            return False
        if outcome is Outcome.SENT:
            arrived(services, outbox, message_id, kind)
        if outcome is Outcome.UNDELIVERABLE and kind != OWNER:
            return False  # the channel is gone and the group paused: it waits for the channel
        if outcome is not Outcome.SENT:  # sent before a crash, or undeliverable to the owner
            with services.db.begin() as session:
                mark_sent(session, message_id, services.clock())
        stale = stale or _changes_parent(key, kind)
    channel, thread = outbox.where["channel"], outbox.where["thread"]
    if stale and parent is not None and channel is not None and thread is not None:
        update = partial(update_parent, services, run_id, channel, thread, parent)
        if later is None:
            update()
        else:
            later[run_id] = partial(update, lane=True)
    elif stale:
        refresh_parent(services, run_id)
    return True


def _changes_parent(key: str, kind: str) -> bool:
    """Whether the parent message must show something new after this message went out: not
    after a heads-up, a note that a round closes, or a DM."""
    return kind in (PARENT, THREAD) and ":heads_up:" not in key and not key.endswith(":nudge")


def _poster(
    services: Services,
    run_id: int,
    kind: str,
    where: dict[str, str | None],
    owner: str,
    message: dict[str, Any],
) -> Callable[[], SlackResponse]:
    """How to send one outbox message of the run. `where` holds the channel and the parent
    message's ts (the thread), kept current as the parent is posted."""
    client = services.client

    def post() -> SlackResponse:
        if kind == OWNER:
            return client.chat_postMessage(channel=owner, **message)
        if kind == MEMBER:
            return client.chat_postMessage(**message)
        if kind == PARENT:
            posted = client.chat_postMessage(channel=where["channel"], **message)
            where["thread"] = str(posted["ts"])
            with services.db.begin() as session:
                set_parent_ts(session, run_id, where["thread"])
            return posted
        if where["thread"] is None:  # posted by another process meanwhile
            with services.db() as session:
                run = get_run(session, run_id)
                where["thread"] = run.parent_ts if run is not None else None
        return client.chat_postMessage(
            channel=where["channel"], thread_ts=where["thread"], **message
        )

    return post


def _after_meeting(services: Services, meeting_id: int, held_live: bool) -> None:
    """What follows the closing of a meeting: the opening shows what was recorded, each
    attendee gets their proof, the panel shows the next meeting, a coach called back for it
    leaves the group again."""
    with services.db.begin() as session:
        release_guest(session, meeting_id)
    if held_live:
        refresh_opening(services, meeting_id)
        send_proofs(services, meeting_id)
    refresh_panel_of_meeting(services, meeting_id)


def _suggest_roles(session: Session, run: CaseRun) -> None:
    """Chair and timekeeper by rotation: whoever had the role least recently (or never)."""
    group = run.meeting.group
    candidates = [m for m in group.member_ids if m != run.case.owner_id] or group.member_ids
    history = last_roles(session, group.id)
    never = datetime.min.replace(tzinfo=None)

    def least_recent(role: str, exclude: set[str]) -> str | None:
        pool = [c for c in candidates if c not in exclude]
        if not pool:
            return None
        return min(pool, key=lambda u: (history[role].get(u, never).replace(tzinfo=None), u))

    run.chair_id = least_recent("chair", set())
    run.timekeeper_id = least_recent("timekeeper", {run.chair_id or ""})


def start_next_case(services: Services, meeting_id: int, after: int | None = None) -> None:
    """Start the next waiting case, or close the meeting when none is left. `after` is the
    outbox message of the case that just finished: it is marked done in the same transaction,
    so a replay after a crash never starts a second case."""
    now = services.clock()
    scale = services.settings.time_scale
    with services.db.begin() as session:
        if after is not None and not mark_sent(session, after, now):
            return
        run = next_waiting_run(session, meeting_id)
        meeting = get_meeting(session, meeting_id)
        if meeting is None:
            return
        tr = group_translator(meeting.group)
        channel = meeting.group.channel_id
        held_live = all(r.mode == LIVE for r in runs_of(session, meeting_id))
        if run is None:
            closing = closing_message(tr, meeting.group.name)
            if held_live:
                record = record_meeting_end(session, meeting, now)
                present = len(attendees(session, meeting_id))
                closing["blocks"] += record_blocks(tr, meeting_id, present, record.minutes)
            run_id = None
        else:
            _suggest_roles(session, run)
            # An asynchronous case started outside working time starts when it may post.
            store_state(run, start(post_moment(session, run, now), heads_up_minutes(run)), now)
            run.status = RUNNING
            run_id = run.id
            body = json.dumps(parent_message(tr, facts_of(session, run, scale)))
            out = [outgoing(run_id, f"run:{run_id}:parent", PARENT, body, now)]
            queue_steps(session, run, [Step(StepKind.PHASE_STARTED, 0)], scale, now, out)
            queue_messages(session, out)
    if run_id is None:
        send_once_soon(
            services,
            f"meeting:{meeting_id}:closing",
            lambda: services.client.chat_postMessage(channel=channel, **closing),
        )
        # The rest (the opening's record, proofs with their PDFs, the panel) takes seconds of
        # Slack's time: it goes in the updates' lane, while other cases' prompts go on.
        after_meeting = partial(_after_meeting, services, meeting_id, held_live)
        services.updates.submit(f"meeting:{meeting_id}:after", after_meeting)
        return
    logger.info("case run %s started", run_id, extra={"run": run_id})
    if deliver(services, run_id):  # otherwise its timer is set to try again
        sync_timer(services, run_id)
