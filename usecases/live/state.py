"""Where a running case is: its state as the phase engine sees it, its method with the group's own
phase durations, what its messages show, and when it next needs the bot (its timer)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from methods.engine import (
    HEADS_UP_MINUTES,
    RunState,
    ends_at,
    next_moment,
    pause,
)
from methods.library import Method, methods
from rendering.run_messages import (
    RunFacts,
)
from storage.cases import DISCUSSED
from storage.coaching import tips_of
from storage.models import CaseRun
from storage.runs import (
    DONE,
    RUNNING,
    all_phase_minutes,
    contributions,
    get_run,
    phase_minutes,
    running_runs,
    runs_with_pending_messages,
)
from usecases.asynchronous import (
    ASYNC,
    LIVE,
    NUDGE_LEAD,
    audience,
    post_moment,
)
from usecases.meetings import group_zone
from usecases.services import Services, Timer

logger = logging.getLogger(__name__)


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
        heads_up_minutes=heads_up_minutes(run),
    )


def observes(run: CaseRun, user_id: str) -> bool:
    """`user_id` coaches this case's meeting from the side (see `Group.observing`)."""
    return run.meeting.group.observing(user_id, run.meeting.started_at)


def heads_up_minutes(run: CaseRun) -> int:
    """A live case warns two minutes ahead; an asynchronous one nudges members instead."""
    return 0 if run.mode == ASYNC else HEADS_UP_MINUTES


def store_state(run: CaseRun, state: RunState, now: datetime) -> None:
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


def know_methods(session: Session, runs: Sequence[CaseRun]) -> None:
    """Read the phase durations of many runs' groups in one query (for `method_of`)."""
    own = all_phase_minutes(session, {run.meeting.group_id for run in runs})
    known: dict[tuple[int, str, str], Method] = session.info.setdefault("methods", {})
    for run in runs:
        if run.mode == LIVE:
            group_id = run.meeting.group_id
            minutes = own.get((group_id, run.method_id), {})
            known[(group_id, run.method_id, LIVE)] = methods()[run.method_id].with_minutes(minutes)


def facts_of(session: Session, run: CaseRun, scale: float) -> RunFacts:
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
        coached=bool(run.meeting.group.coach_ids),
        coach_observes=any(observes(run, coach) for coach in run.meeting.group.coach_ids),
        tips=tuple(
            (tip.phase_id, tip.text)
            for tip in tips_of(session, run.meeting.group_id, run.method_id)
        ),
    )


def sync_timer(services: Services, run_id: int) -> None:
    """Move this case's scheduler job to its next moment (or remove it when it has none)."""
    services.scheduler.sync_run(run_id, run_timer(services, run_id))


def run_timer(services: Services, run_id: int) -> Timer | None:
    """When this running case next needs the bot, and in which workspace; None when it does
    not."""
    with services.db() as session:
        run = get_run(session, run_id)
        if run is None or run.status != RUNNING or run.meeting.group.paused_at is not None:
            return None
        moment = moment_of(session, run, services.settings.time_scale)
        return None if moment is None else Timer(run.meeting.group.team_id, moment)


def moment_of(session: Session, run: CaseRun, scale: float) -> datetime | None:
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


def pause_runs_of_group(session: Session, group_id: int, now: datetime) -> list[int]:
    """Pause the group's running cases (their channel is gone); a member resumes them later."""
    paused = []
    for run in running_runs(session):
        if run.meeting.group_id == group_id and run.paused_at is None:
            store_state(run, pause(state_of(run), now), now)
            paused.append(run.id)
    return paused


def run_timers(services: Services) -> dict[int, Timer]:
    """When each running case next needs the bot, and in which workspace (for the scheduler's
    jobs)."""
    scale = services.settings.time_scale
    moments: dict[int, Timer] = {}
    with services.db() as session:
        runs = running_runs(session)
        know_methods(session, runs)
        for run in runs:
            if run.meeting.group.paused_at is not None:
                continue
            moment = moment_of(session, run, scale)
            if moment is not None:
                moments[run.id] = Timer(run.meeting.group.team_id, moment)
        for run_id in runs_with_pending_messages(session):
            run = get_run(session, run_id)
            if run is not None and run.meeting.group.paused_at is None:
                # an outbox a crash or Slack left unsent
                at = post_moment(session, run, services.clock())
                moments[run_id] = Timer(run.meeting.group.team_id, at)
    return moments
