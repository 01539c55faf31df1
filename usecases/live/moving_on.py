"""Moving a case on: the timers that wake running cases, and the controls of the owner, the chair
and every member (next, +5 minutes, pause, resume, end; the roles)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from methods.engine import (
    Step,
    StepKind,
    extend,
    finish,
    next_phase,
    pause,
    resume,
    tick,
)
from storage.coaching import record_click
from storage.models import CaseRun
from storage.runs import (
    RUNNING,
    get_run,
    get_runs,
    queue_messages,
)
from usecases.answers import Answer
from usecases.asynchronous import (
    ASYNC,
    EXTEND_ASYNC_MINUTES,
    may_post,
    post_moment,
)
from usecases.live.outbox import (
    deliver,
    read_outboxes,
    refresh_parent,
    release_untried,
    send_claimed,
)
from usecases.live.state import (
    know_methods,
    method_of,
    moment_of,
    observes,
    state_of,
    store_state,
    sync_timer,
    waiting_for,
)
from usecases.live.steps import coach_paused, nudge_if_due, queue_steps
from usecases.services import Services, Timer

logger = logging.getLogger(__name__)


EXTEND_MINUTES = 5


CONTROL_BY_OWNER_OR_CHAIR = ("next", "extend", "end")


def tick_runs(services: Services, run_ids: Sequence[int]) -> None:
    """The scheduler wakes runs at their next moment: say what is due, move on if time is up.
    Runs that fall due together are read, moved on and queued in one transaction, which also
    claims each one's first message; then each run's messages go out."""
    now = services.clock()
    scale = services.settings.time_scale
    woken: list[tuple[CaseRun, datetime | None]] = []
    due: dict[int, datetime] = {}  # the moments that woke the runs
    out: list[dict[str, Any]] = []
    with services.db.begin() as session:
        runs = get_runs(session, run_ids, for_update=True)
        know_methods(session, runs)
        for run in runs:
            if run.meeting.group.paused_at is not None:
                continue
            if run.status == RUNNING and may_post(session, run, now):
                moment = moment_of(session, run, scale)
                if moment is not None and moment <= now:
                    due[run.id] = moment
                method = method_of(session, run)
                if run.mode == ASYNC:
                    nudge_if_due(session, run, method, now, scale)
                group = run.meeting.group
                state, steps = tick(method, state_of(run), now, scale, group.auto_advance)
                store_state(run, state, now)
                queue_steps(session, run, steps, scale, now, out)
            woken.append((run, moment_of(session, run, scale) if run.status == RUNNING else None))
        queue_messages(session, out)
        outboxes = read_outboxes(session, [run for run, _ in woken], now, scale)
    for run_id, moment in due.items():
        outboxes[run_id].due = moment
    # Every case's prompts first, side by side; the parent messages' status out of their way.
    parents: dict[int, Callable[[], None]] = {}

    def deliver_run(run_id: int, moment: datetime | None) -> None:
        if deliver(services, run_id, outboxes[run_id], later=parents):
            services.scheduler.sync_run(
                run_id, None if moment is None else Timer(services.team_id, moment)
            )

    try:
        send_claimed(services, outboxes.values())
        services.fanout.run([partial(deliver_run, run.id, moment) for run, moment in woken])
    finally:
        release_untried(services, outboxes.values())
    for run_id, update in parents.items():
        services.updates.submit(f"parent:{run_id}", update)


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
        group = run.meeting.group
        observing = observes(run, user_id)
        if observing and action != "pause":
            return Answer.OBSERVING  # in an emergency the coach may still pause
        coach = user_id in group.coach_ids
        allowed = (run.case.owner_id, run.chair_id)
        if action in CONTROL_BY_OWNER_OR_CHAIR and user_id not in allowed and not coach:
            return Answer.NOT_ALLOWED
        record_click(session, run.id, run.phase, action, "coach" if coach else "member", now)
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
        store_state(run, state, now)
        out: list[dict[str, Any]] = []
        queue_steps(session, run, steps, services.settings.time_scale, now, out)
        if observing:  # recorded where the group sees it
            out.append(coach_paused(run, user_id, now))
        queue_messages(session, out)
    if not steps:
        refresh_parent(services, run_id)  # paused, resumed or extended: the parent shows it
    if deliver(services, run_id):
        sync_timer(services, run_id)
    return Answer.DONE


def set_roles(services: Services, run_id: int, user_id: str, chair: str, timekeeper: str) -> Answer:
    with services.db.begin() as session:
        run = get_run(session, run_id)
        if run is None or not run.meeting.group.may_act(services.team_id, user_id):
            return Answer.NOT_A_MEMBER
        if any(observes(run, person) for person in (user_id, chair, timekeeper)):
            return Answer.OBSERVING
        run.chair_id, run.timekeeper_id = chair, timekeeper
    refresh_parent(services, run_id)
    return Answer.DONE
