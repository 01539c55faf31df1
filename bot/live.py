"""The live session: the bot chairs and keeps time. Every case runs through its method's phases
in a thread; the database holds where each run is, APScheduler wakes the run at its next moment,
and every message is sent under a unique key, so a restart loses no prompt and posts none twice."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.answers import Answer
from bot.asynchronous import (
    ASYNC,
    EXTEND_ASYNC_MINUTES,
    LIVE,
    NUDGE_LEAD,
    audience,
    may_post,
    post_moment,
)
from bot.cases import choose_cases
from bot.delivery import Outcome, send_once
from bot.followup import open_takeaway, report_follow_ups
from bot.markup import Mrkdwn
from bot.meetings import group_translator, group_zone
from bot.panel import refresh_panel_of_meeting
from bot.people import known_translator
from bot.records import opening_post, record_meeting_end, refresh_opening, send_proofs
from bot.scheduler import Timer
from bot.services import Services
from bot.slack import delivering
from handlers.blocks.attendance_messages import record_blocks
from handlers.blocks.followup_messages import takeaway_request
from handlers.blocks.run_messages import (
    RunFacts,
    closed_round,
    closing_message,
    closing_soon_message,
    heads_up_note,
    nudge_message,
    owner_summary,
    parent_message,
    phase_prompt,
    time_up_message,
)
from methods.engine import (
    HEADS_UP_MINUTES,
    RunState,
    Step,
    StepKind,
    ends_at,
    extend,
    finish,
    next_moment,
    next_phase,
    pause,
    resume,
    start,
    tick,
)
from methods.library import Method, methods, suggestions
from storage.attendance import attendees
from storage.cases import DISCUSSED, SELECTED, cases_for_meeting
from storage.events import remember_event
from storage.meetings import (
    SCHEDULED,
    claim_deliveries,
    claim_start,
    get_meeting,
    record_deliveries,
    release_delivery,
    set_opening_ts,
)
from storage.models import CaseRun, RunMessage
from storage.runs import (
    DONE,
    RUNNING,
    add_contribution,
    add_reply,
    add_run,
    all_phase_minutes,
    contributions,
    edit_reply,
    get_run,
    get_runs,
    last_roles,
    mark_all_sent,
    mark_sent,
    next_waiting_run,
    outgoing,
    pending_messages,
    pending_messages_of,
    phase_minutes,
    posted_message,
    queue_message,
    queue_messages,
    remove_reply,
    run_in_thread,
    running_runs,
    runs_of,
    runs_with_pending_messages,
    set_parent_ts,
)

logger = logging.getLogger(__name__)
EXTEND_MINUTES = 5
RETRY_AFTER = timedelta(seconds=5)
CONTROL_BY_OWNER_OR_CHAIR = ("next", "extend", "end")


def state_of(run: CaseRun) -> RunState:
    return RunState(
        phase=run.phase,
        phase_started_at=run.phase_started_at or datetime.min,
        ran_before=run.ran_before,
        extra_minutes=run.extra_minutes,
        paused_at=run.paused_at,
        finished=run.status == DONE,
        heads_up_sent=run.heads_up_sent,
        over_announced=run.over_announced,
        heads_up_minutes=_heads_up_minutes(run),
    )


def _heads_up_minutes(run: CaseRun) -> int:
    """A live case warns two minutes ahead; an asynchronous one nudges members instead."""
    return 0 if run.mode == ASYNC else HEADS_UP_MINUTES


def _store(run: CaseRun, state: RunState, now: datetime) -> None:
    run.phase = state.phase
    run.phase_started_at = state.phase_started_at
    run.ran_before = state.ran_before
    run.extra_minutes = state.extra_minutes
    run.paused_at = state.paused_at
    run.heads_up_sent = state.heads_up_sent
    run.over_announced = state.over_announced
    if state.finished:
        run.status = DONE
        run.finished_at = now
        run.case.status = DISCUSSED


def method_of(session: Session, run: CaseRun) -> Method:
    """The run's method with the group's own phase durations (an asynchronous case: the
    method's phases of hours and days)."""
    known: dict[tuple[int, str, str], Method] = session.info.setdefault("methods", {})
    key = (run.meeting.group_id, run.method_id, run.mode)
    if key not in known:
        method = methods()[run.method_id]
        known[key] = (
            method.asynchronous()
            if run.mode == ASYNC
            else method.with_minutes(phase_minutes(session, key[0], run.method_id))
        )
    return known[key]


def _know_methods(session: Session, runs: Sequence[CaseRun]) -> None:
    """Read the phase durations of many runs' groups in one query (for `method_of`)."""
    own = all_phase_minutes(session, {run.meeting.group_id for run in runs})
    known: dict[tuple[int, str, str], Method] = session.info.setdefault("methods", {})
    for run in runs:
        if run.mode == LIVE:
            group_id = run.meeting.group_id
            minutes = own.get((group_id, run.method_id), {})
            known[(group_id, run.method_id, LIVE)] = methods()[run.method_id].with_minutes(minutes)


def _facts(session: Session, run: CaseRun, scale: float) -> RunFacts:
    method = method_of(session, run)
    state = state_of(run)
    phase = method.phases[state.phase]
    end = None if state.finished or state.over_announced else ends_at(method, state, scale)
    if end is not None and run.mode == ASYNC:
        end = audience(session, run).next_moment(end)  # it closes in common working time
    return RunFacts(
        run_id=run.id,
        title=run.case.title,
        owner_id=run.case.owner_id,
        method=method,
        phase=state.phase,
        ends_at=end,
        asynchronous=run.mode == ASYNC,
        paused=state.paused_at is not None,
        finished=state.finished,
        chair_id=run.chair_id,
        timekeeper_id=run.timekeeper_id,
        collected=len(contributions(session, run.id, phase.id)) if phase.collect else 0,
        tz=group_zone(run.meeting.group),
    )


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

    send_once(services, f"meeting:{meeting_id}:opening", post_opening)
    refresh_panel_of_meeting(services, meeting_id)
    start_next_case(services, meeting_id)
    return Answer.DONE


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
            _store(run, start(post_moment(session, run, now), _heads_up_minutes(run)), now)
            run.status = RUNNING
            run_id = run.id
            body = json.dumps(parent_message(tr, _facts(session, run, scale)))
            out = [outgoing(run_id, f"run:{run_id}:parent", PARENT, body, now)]
            _queue_steps(session, run, [Step(StepKind.PHASE_STARTED, 0)], scale, now, out)
            queue_messages(session, out)
    if run_id is None:
        send_once(
            services,
            f"meeting:{meeting_id}:closing",
            lambda: services.client.chat_postMessage(channel=channel, **closing),
        )
        if held_live:
            refresh_opening(services, meeting_id)
            send_proofs(services, meeting_id)
        refresh_panel_of_meeting(services, meeting_id)
        return
    logger.info("case run %s started", run_id)
    if _deliver(services, run_id):  # otherwise its timer is set to try again
        _sync_timer(services, run_id)


# Kinds of outbox messages: the parent message, a message in its thread, a DM to the case
# owner, a DM to a member (the body names the channel), and "finished" (start the next case).
PARENT, THREAD, OWNER, MEMBER, FINISHED = "parent", "thread", "owner", "member", "finished"
EDIT = "edit"  # a change to a message the run posted before (by its key): no new message


def _queue_steps(
    session: Session,
    run: CaseRun,
    steps: list[Step],
    scale: float,
    now: datetime,
    out: list[dict[str, Any]],
) -> None:
    """Add what the steps call for to `out`, the messages that the transaction that took them
    puts in the outboxes (`queue_messages`)."""
    if not steps:
        return
    tr = group_translator(run.meeting.group)
    facts = _facts(session, run, scale)
    method = facts.method
    for step in steps:
        phase = method.phases[step.phase]
        key = f"run:{run.id}:p{step.phase}"
        message = None
        if step.kind is StepKind.PHASE_STARTED:
            message, key = phase_prompt(tr, facts), f"{key}:prompt"
        elif step.kind is StepKind.HEADS_UP:
            # Said in the phase's own prompt, edited: no new message in the thread.
            edit = {
                "prompt": f"{key}:prompt",
                "message": phase_prompt(tr, facts, heads_up_note(tr, facts, HEADS_UP_MINUTES)),
            }
            body = json.dumps(edit)
            out.append(outgoing(run.id, f"{key}:heads_up:{run.extra_minutes}", EDIT, body, now))
        elif step.kind is StepKind.TIME_UP:
            message, key = time_up_message(tr, facts), f"{key}:time_up:{run.extra_minutes}"
        elif step.kind is StepKind.PHASE_ENDED and phase.collect:
            # The round's prompt is edited to show what was collected: no new message.
            items = [c.text for c in contributions(session, run.id, phase.id)]
            ended = replace(facts, phase=step.phase)
            edit = {"prompt": f"{key}:prompt", "message": closed_round(tr, ended, items)}
            out.append(outgoing(run.id, f"{key}:collected", EDIT, json.dumps(edit), now))
        elif step.kind is StepKind.FINISHED:
            collected = [
                (p, [c.text for c in contributions(session, run.id, p.id)])
                for p in method.phases
                if p.collect
            ]
            own = known_translator(
                session, run.meeting.group.team_id, run.case.owner_id, tr.language
            )
            summary = owner_summary(own, run.case.title, [(p, i) for p, i in collected if i])
            takeaway_id = open_takeaway(session, run, now)
            request = takeaway_request(own, takeaway_id, facts.title, nudge=False)
            summary = {**summary, "blocks": [*summary["blocks"], *request["blocks"]]}
            body = json.dumps(summary)
            out.append(outgoing(run.id, f"run:{run.id}:summary", OWNER, body, now))
            out.append(outgoing(run.id, f"run:{run.id}:finished", FINISHED, None, now))
        if message is not None:
            out.append(outgoing(run.id, key, THREAD, json.dumps(message), now))


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


def _outboxes(
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


def _send_claimed(services: Services, outboxes: Iterable[Outbox]) -> None:
    """Send each outbox's claimed first message when it is a plain one in the thread (nearly
    every phase change has one), then record all that Slack took in one transaction. What
    Slack refused is released for the message-by-message delivery, which knows what to do."""
    taken: list[tuple[Outbox, str]] = []
    for box in outboxes:
        channel, thread = box.where["channel"], box.where["thread"]
        if box.claimed is None or channel is None or thread is None:
            continue
        _, key, kind, body = box.pending[0]
        if kind != THREAD:
            continue
        try:
            with delivering(key):
                posted = services.client.chat_postMessage(
                    channel=channel, thread_ts=thread, **stored_message(body)
                )
        except (SlackApiError, OSError):
            with services.db.begin() as session:
                release_delivery(session, key)
            box.claimed = None
            continue
        taken.append((box, str(posted["ts"])))
    if not taken:
        return
    with services.db.begin() as session:
        record_deliveries(
            session, [(b.pending[0][1], str(b.where["channel"]), ts) for b, ts in taken]
        )
        mark_all_sent(session, [(b.pending[0][0], ts) for b, ts in taken], services.clock())
    for box, _ in taken:
        _, key, kind, _ = box.pending.pop(0)
        box.claimed = None
        box.stale = _changes_parent(key, kind)


def _outbox(
    session: Session, run: CaseRun, unsent: Sequence[RunMessage], now: datetime, scale: float
) -> Outbox:
    pending = [(m.id, m.key, m.kind, m.body) for m in unsent]
    hold = post_moment(session, run, now) if pending and not may_post(session, run, now) else None
    parent = None
    if hold is None and any(_changes_parent(key, kind) for _, key, kind, _ in pending):
        parent = parent_message(group_translator(run.meeting.group), _facts(session, run, scale))
    return Outbox(
        meeting_id=run.meeting_id,
        owner=run.case.owner_id,
        where={"channel": run.meeting.group.channel_id, "thread": run.parent_ts},
        pending=pending,
        hold_until=hold,
        parent=parent,
    )


def _deliver(
    services: Services,
    run_id: int,
    outbox: Outbox | None = None,
    later: list[Callable[[], None]] | None = None,
) -> bool:
    """Send the run's outbox in order, each message at most once. Stops at a message Slack
    did not take (it is tried again shortly); returns whether everything went out. Bringing
    the parent message up to date can wait (`later`), while other runs' prompts go out."""
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
            _edit(services, run_id, json.loads(body or "{}"))
            with services.db.begin() as session:
                mark_sent(session, message_id, services.clock())
            continue
        message = stored_message(body)
        outcome = send_once(
            services,
            key,
            _poster(services, run_id, kind, outbox.where, outbox.owner, message),
            then=lambda session, posted, sent=message_id, kind=kind: mark_sent(
                session, sent, services.clock(), str(posted["ts"]) if kind == THREAD else None
            ),
            claimed=key == outbox.claimed,
        )
        if outcome in (Outcome.RETRY, Outcome.IN_FLIGHT):
            # Slack did not take it, or another process is sending it: keep the order and
            # look again shortly (the other process goes on with the rest meanwhile).
            services.scheduler.sync_run(
                run_id, Timer(services.team_id, services.clock() + RETRY_AFTER)
            )
            return False
        if outcome is Outcome.UNDELIVERABLE and kind != OWNER:
            return False  # the channel is gone and the group paused: it waits for the channel
        if outcome is not Outcome.SENT:  # sent before a crash, or undeliverable to the owner
            with services.db.begin() as session:
                mark_sent(session, message_id, services.clock())
        stale = stale or _changes_parent(key, kind)
    channel, thread = outbox.where["channel"], outbox.where["thread"]
    if stale and parent is not None and channel is not None and thread is not None:
        update = partial(_update_parent, services, run_id, channel, thread, parent)
        if later is None:
            update()
        else:
            later.append(update)
    elif stale:
        refresh_parent(services, run_id)
    return True


def stored_message(body: str | None) -> dict[str, Any]:
    """An outbox message as its builder made it: its `text` is markup already."""
    message: dict[str, Any] = json.loads(body or "{}")
    if isinstance(message.get("text"), str):
        message["text"] = Mrkdwn(message["text"])
    return message


def _changes_parent(key: str, kind: str) -> bool:
    """Whether the parent message must show something new after this message went out: not
    after a heads-up, a note that a round closes, or a DM."""
    return kind in (PARENT, THREAD) and ":heads_up:" not in key and not key.endswith(":nudge")


def _edit(services: Services, run_id: int, edit: dict[str, Any]) -> None:
    """Show `edit["message"]` in place of the run's message posted under `edit["prompt"]`."""
    with services.db() as session:
        run = get_run(session, run_id)
        prompt = posted_message(session, run_id, str(edit.get("prompt")))
        if run is None or prompt is None or prompt.ts is None:
            return
        channel, ts = run.meeting.group.channel_id, prompt.ts
    try:
        services.client.chat_update(
            channel=channel, ts=ts, **stored_message(json.dumps(edit["message"]))
        )
    except (SlackApiError, OSError):
        logger.warning("could not edit a message of case run %s in Slack", run_id)


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


def refresh_parent(services: Services, run_id: int) -> None:
    """Bring the case's parent message up to date with where the run is now."""
    with services.db() as session:
        run = get_run(session, run_id)
        if run is None or run.parent_ts is None:
            return
        tr = group_translator(run.meeting.group)
        message = parent_message(tr, _facts(session, run, services.settings.time_scale))
        channel, ts = run.meeting.group.channel_id, run.parent_ts
    _update_parent(services, run_id, channel, ts, message)


def _update_parent(
    services: Services, run_id: int, channel: str, ts: str, message: dict[str, Any]
) -> None:
    try:
        services.client.chat_update(channel=channel, ts=ts, **message)
    except (SlackApiError, OSError):
        logger.exception("could not update the parent message of case run %s", run_id)


def tick_runs(services: Services, run_ids: Sequence[int]) -> None:
    """The scheduler wakes runs at their next moment: say what is due, move on if time is up.
    Runs that fall due together are read, moved on and queued in one transaction, which also
    claims each one's first message; then each run's messages go out."""
    now = services.clock()
    scale = services.settings.time_scale
    woken: list[tuple[CaseRun, datetime | None]] = []
    out: list[dict[str, Any]] = []
    with services.db.begin() as session:
        runs = get_runs(session, run_ids, for_update=True)
        _know_methods(session, runs)
        for run in runs:
            if run.meeting.group.paused_at is not None:
                continue
            if run.status == RUNNING and may_post(session, run, now):
                method = method_of(session, run)
                if run.mode == ASYNC:
                    _nudge_if_due(session, run, method, now, scale)
                group = run.meeting.group
                state, steps = tick(method, state_of(run), now, scale, group.auto_advance)
                _store(run, state, now)
                _queue_steps(session, run, steps, scale, now, out)
            woken.append((run, _moment_of(session, run, scale) if run.status == RUNNING else None))
        queue_messages(session, out)
        outboxes = _outboxes(session, [run for run, _ in woken], now, scale)
    _send_claimed(services, outboxes.values())
    parents: list[Callable[[], None]] = []
    for run, moment in woken:
        if _deliver(services, run.id, outboxes[run.id], later=parents):
            services.scheduler.sync_run(
                run.id, None if moment is None else Timer(services.team_id, moment)
            )
    for update in parents:
        update()


def control(services: Services, run_id: int, user_id: str, action: str) -> Answer:
    """Next, +5 minutes, pause, resume or end. The case owner and the chair decide how deep and
    how long the case goes; every member may pause."""
    now = services.clock()
    with services.db.begin() as session:
        run = get_run(session, run_id, for_update=True)
        if run is None or not run.meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        if run.status != RUNNING:
            return Answer.CLOSED
        if action in CONTROL_BY_OWNER_OR_CHAIR and user_id not in (run.case.owner_id, run.chair_id):
            return Answer.NOT_ALLOWED
        method = method_of(session, run)
        state = state_of(run)
        steps: list[Step] = []
        if action == "next" and run.mode == ASYNC and waiting_for(session, run, method):
            return Answer.WAITING  # a round closes early only once everyone contributed
        if action == "next":
            # The next phase of an asynchronous case opens when it may be announced.
            state, steps = next_phase(method, state, post_moment(session, run, now))
        elif action == "extend":
            state = extend(state, EXTEND_ASYNC_MINUTES if run.mode == ASYNC else EXTEND_MINUTES)
        elif action == "pause":
            state = pause(state, now)
        elif action == "resume":
            state = resume(state, now)
        elif action == "end":
            steps = [Step(StepKind.PHASE_ENDED, state.phase), Step(StepKind.FINISHED, state.phase)]
            state = finish(state)
        _store(run, state, now)
        out: list[dict[str, Any]] = []
        _queue_steps(session, run, steps, services.settings.time_scale, now, out)
        queue_messages(session, out)
    if not steps:
        refresh_parent(services, run_id)  # paused, resumed or extended: the parent shows it
    if _deliver(services, run_id):
        _sync_timer(services, run_id)
    return Answer.DONE


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
        logger.warning("could not remind the owner of case run %s to listen", run_id)


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


def set_roles(services: Services, run_id: int, user_id: str, chair: str, timekeeper: str) -> Answer:
    with services.db.begin() as session:
        run = get_run(session, run_id)
        if run is None or not run.meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        run.chair_id, run.timekeeper_id = chair, timekeeper
    refresh_parent(services, run_id)
    return Answer.DONE


def _sync_timer(services: Services, run_id: int) -> None:
    """Move this case's scheduler job to its next moment (or remove it when it has none)."""
    services.scheduler.sync_run(run_id, run_timer(services, run_id))


def run_timer(services: Services, run_id: int) -> Timer | None:
    """When this running case next needs the bot, and in which workspace; None when it does
    not."""
    with services.db() as session:
        run = get_run(session, run_id)
        if run is None or run.status != RUNNING or run.meeting.group.paused_at is not None:
            return None
        moment = _moment_of(session, run, services.settings.time_scale)
        return None if moment is None else Timer(run.meeting.group.team_id, moment)


def _moment_of(session: Session, run: CaseRun, scale: float) -> datetime | None:
    """When the case next needs the bot. An asynchronous case waits for common working time,
    and wakes once before a round closes to nudge those who have not contributed."""
    method, state = method_of(session, run), state_of(run)
    moment = next_moment(method, state, scale)
    if moment is None or run.mode != ASYNC:
        return moment
    group = audience(session, run)
    closes = group.next_moment(moment)
    if not method.phases[state.phase].round or run.nudged_phase == state.phase:
        return closes
    return min(closes, group.nudge_moment(state.phase_started_at, closes, NUDGE_LEAD / scale))


def waiting_for(session: Session, run: CaseRun, method: Method) -> list[str]:
    """In a round: the members (not the case owner) who have not contributed yet."""
    phase = method.phases[run.phase]
    if not phase.round:
        return []
    done = {c.user_id for c in contributions(session, run.id, phase.id)}
    return [m for m in run.meeting.group.member_ids if m != run.case.owner_id and m not in done]


def _nudge_if_due(
    session: Session, run: CaseRun, method: Method, now: datetime, scale: float
) -> None:
    """Once per round, before it closes: a note in the thread, and a DM to each member who has
    not contributed yet."""
    state = state_of(run)
    end = ends_at(method, state, scale)
    phase = method.phases[state.phase]
    if end is None or not phase.round or run.nudged_phase == state.phase:
        return
    group = audience(session, run)
    closes = group.next_moment(end)
    if now < group.nudge_moment(state.phase_started_at, closes, NUDGE_LEAD / scale):
        return
    run.nudged_phase = state.phase
    waiting = waiting_for(session, run, method)
    if not waiting:
        return
    tr = group_translator(run.meeting.group)
    facts = _facts(session, run, scale)
    key = f"run:{run.id}:p{state.phase}:nudge"
    note = json.dumps(closing_soon_message(tr, facts, len(waiting)))
    queue_message(session, run.id, key, THREAD, note, now)
    channel = run.meeting.group.channel_id
    for member in waiting:
        own = known_translator(session, run.meeting.group.team_id, member, tr.language)
        dm = {"channel": member, **nudge_message(own, facts, channel)}
        queue_message(session, run.id, f"{key}:{member}", MEMBER, json.dumps(dm), now)


def pause_runs_of_group(session: Session, group_id: int, now: datetime) -> list[int]:
    """Pause the group's running cases (their channel is gone); a member resumes them later."""
    paused = []
    for run in running_runs(session):
        if run.meeting.group_id == group_id and run.paused_at is None:
            _store(run, pause(state_of(run), now), now)
            paused.append(run.id)
    return paused


def run_timers(services: Services) -> dict[int, Timer]:
    """When each running case next needs the bot, and in which workspace (for the scheduler's
    jobs)."""
    scale = services.settings.time_scale
    moments: dict[int, Timer] = {}
    with services.db() as session:
        runs = running_runs(session)
        _know_methods(session, runs)
        for run in runs:
            if run.meeting.group.paused_at is not None:
                continue
            moment = _moment_of(session, run, scale)
            if moment is not None:
                moments[run.id] = Timer(run.meeting.group.team_id, moment)
        for run_id in runs_with_pending_messages(session):
            run = get_run(session, run_id)
            if run is not None and run.meeting.group.paused_at is None:
                # an outbox a crash or Slack left unsent
                at = post_moment(session, run, services.clock())
                moments[run_id] = Timer(run.meeting.group.team_id, at)
    return moments
