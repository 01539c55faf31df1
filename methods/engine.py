"""The phase engine: where a case run is in its method, when the current phase ends, and what
is due now. Pure: every moment is passed in. Method minutes pass `scale` times faster than real
time (the rehearsal speed); calendar times are never scaled."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from methods.library import Method, Phase

HEADS_UP_MINUTES = 2


class Event(StrEnum):
    HEADS_UP = "heads_up"  # the phase ends soon
    PHASE_OVER = "phase_over"  # the phase's time is up


class StepKind(StrEnum):
    """What the bot should say in the thread, in order."""

    HEADS_UP = "heads_up"
    PHASE_ENDED = "phase_ended"
    PHASE_STARTED = "phase_started"
    TIME_UP = "time_up"  # the chair advances: tell them the time is up
    FINISHED = "finished"


@dataclass(frozen=True)
class Step:
    kind: StepKind
    phase: int


@dataclass(frozen=True)
class RunState:
    """A case run's place in its method."""

    phase: int
    phase_started_at: datetime  # when the current phase last (re)started running
    ran_before: float = 0.0  # seconds of the current phase that ran before a pause
    extra_minutes: int = 0  # minutes added to the current phase
    paused_at: datetime | None = None
    finished: bool = False
    heads_up_sent: bool = False
    over_announced: bool = False  # the chair was told time is up (when the chair advances)
    heads_up_minutes: int = HEADS_UP_MINUTES  # 0: no heads-up (an asynchronous case nudges)


def start(now: datetime, heads_up_minutes: int = HEADS_UP_MINUTES) -> RunState:
    return RunState(phase=0, phase_started_at=now, heads_up_minutes=heads_up_minutes)


def phase_of(method: Method, state: RunState) -> Phase:
    return method.phases[state.phase]


def phase_seconds(method: Method, state: RunState, scale: float) -> float:
    return (phase_of(method, state).minutes + state.extra_minutes) * 60 / scale


def ends_at(method: Method, state: RunState, scale: float) -> datetime | None:
    """When the current phase runs out; None while paused or after the last phase."""
    if state.finished or state.paused_at is not None:
        return None
    left = phase_seconds(method, state, scale) - state.ran_before
    return state.phase_started_at + timedelta(seconds=left)


def heads_up_at(method: Method, state: RunState, scale: float) -> datetime | None:
    """When to warn that the phase ends soon; None when the phase is too short for a warning."""
    end = ends_at(method, state, scale)
    minutes = state.heads_up_minutes
    if (
        end is None
        or minutes <= 0
        or state.heads_up_sent
        or phase_seconds(method, state, scale) <= minutes * 60 / scale
    ):
        return None
    return end - timedelta(seconds=minutes * 60 / scale)


def seconds_left(method: Method, state: RunState, now: datetime, scale: float) -> float:
    if state.finished:
        return 0.0
    ran = state.ran_before
    if state.paused_at is None:
        ran += (now - state.phase_started_at).total_seconds()
    return max(0.0, phase_seconds(method, state, scale) - ran)


def due(method: Method, state: RunState, now: datetime, scale: float) -> list[Event]:
    """What is due at `now`, in order."""
    events = []
    warn = heads_up_at(method, state, scale)
    end = ends_at(method, state, scale)
    if warn is not None and warn <= now and (end is None or now < end):
        events.append(Event.HEADS_UP)
    if end is not None and end <= now and not state.over_announced:
        events.append(Event.PHASE_OVER)
    return events


def next_moment(method: Method, state: RunState, scale: float) -> datetime | None:
    """The next moment the engine has something to do."""
    if state.over_announced:
        return None
    return heads_up_at(method, state, scale) or ends_at(method, state, scale)


def advance(method: Method, state: RunState, now: datetime) -> RunState:
    """On to the next phase, or finished after the last one."""
    if state.phase + 1 >= len(method.phases):
        return replace(state, finished=True, paused_at=None)
    return RunState(
        phase=state.phase + 1, phase_started_at=now, heads_up_minutes=state.heads_up_minutes
    )


def extend(state: RunState, minutes: int) -> RunState:
    return replace(
        state,
        extra_minutes=state.extra_minutes + minutes,
        heads_up_sent=False,
        over_announced=False,
    )


def pause(state: RunState, now: datetime) -> RunState:
    if state.paused_at is not None or state.finished:
        return state
    ran = state.ran_before + (now - state.phase_started_at).total_seconds()
    return replace(state, paused_at=now, ran_before=ran)


def resume(state: RunState, now: datetime) -> RunState:
    if state.paused_at is None:
        return state
    return replace(state, paused_at=None, phase_started_at=now)


def finish(state: RunState) -> RunState:
    return replace(state, finished=True, paused_at=None)


def timeline(method: Method, start_at: datetime, scale: float) -> list[tuple[Phase, datetime]]:
    """Each phase with the moment it would start if every phase ran its time."""
    moments, at = [], start_at
    for phase in method.phases:
        moments.append((phase, at))
        at += timedelta(seconds=phase.minutes * 60 / scale)
    return moments


def next_phase(method: Method, state: RunState, now: datetime) -> tuple[RunState, list[Step]]:
    """End the current phase now and start the next one (or finish the case)."""
    if state.finished:
        return state, []
    ended = Step(StepKind.PHASE_ENDED, state.phase)
    after = advance(method, state, now)
    if after.finished:
        return after, [ended, Step(StepKind.FINISHED, state.phase)]
    return after, [ended, Step(StepKind.PHASE_STARTED, after.phase)]


def tick(
    method: Method, state: RunState, now: datetime, scale: float, auto_advance: bool
) -> tuple[RunState, list[Step]]:
    """Apply what time has made due: a heads-up, the end of the phase, the next phase."""
    steps: list[Step] = []
    for event in due(method, state, now, scale):
        if event is Event.HEADS_UP:
            state = replace(state, heads_up_sent=True)
            steps.append(Step(StepKind.HEADS_UP, state.phase))
        elif auto_advance:
            state, more = next_phase(method, state, now)
            steps += more
        else:
            state = replace(state, over_announced=True)
            steps.append(Step(StepKind.TIME_UP, state.phase))
    return state, steps
