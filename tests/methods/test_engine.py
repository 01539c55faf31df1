"""The phase engine, through every shipped method, with a clock the test holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from methods.engine import (
    StepKind,
    ends_at,
    extend,
    next_moment,
    next_phase,
    pause,
    resume,
    seconds_left,
    start,
    tick,
    timeline,
)
from methods.library import LIBRARY, MethodError, load_library, methods

T0 = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize("method_id", sorted(methods()))
def test_a_case_runs_through_every_phase_of_the_method_on_time(method_id: str) -> None:
    method = methods()[method_id]
    state = start(T0)
    said: list[tuple[StepKind, int]] = []

    while not state.finished:
        moment = next_moment(method, state, scale=1)
        assert moment is not None
        state, steps = tick(method, state, moment, scale=1, auto_advance=True)
        said += [(s.kind, s.phase) for s in steps]

    started = [phase for kind, phase in said if kind is StepKind.PHASE_STARTED]
    assert started == list(range(1, len(method.phases)))
    warned = {phase for kind, phase in said if kind is StepKind.HEADS_UP}
    assert warned == {i for i, p in enumerate(method.phases) if p.minutes > 2}
    assert said[-1] == (StepKind.FINISHED, len(method.phases) - 1)
    assert method.phases[-1].closing and method.phases[-1].who == "owner"


def test_the_whole_case_takes_the_sum_of_its_phases() -> None:
    method = methods()["incident"]
    state = start(T0)
    moment = T0
    while not state.finished:
        moment = next_moment(method, state, scale=1) or moment
        state, _ = tick(method, state, moment, scale=1, auto_advance=True)

    assert moment == T0 + timedelta(minutes=50)


def test_rehearsal_speed_makes_a_minute_pass_in_a_second() -> None:
    method = methods()["incident"]

    assert ends_at(method, start(T0), scale=60) == T0 + timedelta(seconds=5)


def test_nothing_happens_before_its_time() -> None:
    method = methods()["incident"]

    state, steps = tick(method, start(T0), T0 + timedelta(minutes=2), scale=1, auto_advance=True)

    assert steps == [] and state.phase == 0


def test_a_heads_up_comes_two_minutes_before_the_end_and_only_once() -> None:
    method = methods()["incident"]  # first phase: 5 minutes
    at = T0 + timedelta(minutes=3)

    state, steps = tick(method, start(T0), at, scale=1, auto_advance=True)
    again, more = tick(method, state, at + timedelta(seconds=30), scale=1, auto_advance=True)

    assert [s.kind for s in steps] == [StepKind.HEADS_UP]
    assert more == [] and again.heads_up_sent


def test_a_pause_stops_the_clock_and_resume_goes_on_where_it_was() -> None:
    method = methods()["incident"]
    state = pause(start(T0), T0 + timedelta(minutes=1))

    assert ends_at(method, state, 1) is None
    assert tick(method, state, T0 + timedelta(hours=1), 1, True)[1] == []
    state = resume(state, T0 + timedelta(minutes=30))
    assert ends_at(method, state, 1) == T0 + timedelta(minutes=34)
    assert seconds_left(method, state, T0 + timedelta(minutes=30), 1) == 240


def test_five_more_minutes_moves_the_end_and_warns_again() -> None:
    method = methods()["incident"]
    state, _ = tick(method, start(T0), T0 + timedelta(minutes=3), 1, True)

    state = extend(state, 5)

    assert ends_at(method, state, 1) == T0 + timedelta(minutes=10)
    assert next_moment(method, state, 1) == T0 + timedelta(minutes=8)


def test_when_the_chair_advances_time_up_is_said_once_and_the_phase_waits() -> None:
    method = methods()["incident"]
    end = T0 + timedelta(minutes=5)

    state, steps = tick(method, start(T0), end, 1, auto_advance=False)
    later, more = tick(method, state, end + timedelta(minutes=3), 1, auto_advance=False)

    assert [s.kind for s in steps] == [StepKind.TIME_UP]
    assert more == [] and later.phase == 0
    assert next_moment(method, later, 1) is None
    moved, steps = next_phase(method, later, end + timedelta(minutes=4))
    assert moved.phase == 1
    assert [s.kind for s in steps] == [StepKind.PHASE_ENDED, StepKind.PHASE_STARTED]


def test_a_group_can_give_phases_its_own_durations() -> None:
    method = methods()["gossip"].with_minutes({"gossip": 20, "unknown": 3})

    assert [p.minutes for p in method.phases] == [5, 15, 20, 10, 10]
    assert timeline(method, T0, 1)[3][1] == T0 + timedelta(minutes=40)


def test_each_method_leads_to_its_purpose_and_the_owner_decides_at_the_end() -> None:
    library = load_library()
    five_step, successes = library["five_step"], library["successes"]

    plan = five_step.phases[-2]
    assert (plan.id, plan.who, plan.owner_listens) == ("plan", "owner", False)
    assert [p.id for p in five_step.phases].index("advice") < len(five_step.phases) - 2
    assert "by when" in plan.prompt("en") and "wanneer" in plan.prompt("nl")
    build = successes.phases[-2]
    assert (build.id, build.who) == ("build", "owner")
    assert "first step" in build.prompt("en") and "eerste stap" in build.prompt("nl")
    for method in library.values():
        *_, decides, closing = method.phases
        # The owner decides before closing, or (Socratic) the closing is the owner's approach.
        assert decides.who == "owner" or "Approach" in closing.title("en"), method.id
        assert closing.closing and closing.who == "owner", method.id
        assert method.minutes <= 75 or method.id in ("balint", "ten_step", "socratic"), method.id


def write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.toml").write_text(text)


VALID = (LIBRARY / "five_step.toml").read_text()


def test_the_shipped_library_holds_the_eight_methods() -> None:
    assert set(load_library()) == {
        "incident",
        "gossip",
        "five_step",
        "successes",
        "balint",
        "ten_step",
        "socratic",
        "problem_solving",
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("minutes = 15", "minutes = 0"), "needs a duration"),
        (('who = "group"', 'who = "boss"'), "who must be one of"),
        (('en = "Exploration"', 'en = ""'), r"both Dutch \(nl\) and English \(en\)"),
        (('id = "core"', 'id = "exploration"'), "phase ids must be unique"),
        (('suits = ["problem"]', 'suits = ["party"]'), "suits must list kinds"),
        (("closing = true", "closing = false"), "last phase must be the case owner's closing"),
        (('collect = "advice"', 'collect = "votes"'), "collect must be one of"),
    ],
)
def test_an_invalid_method_file_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, change: tuple[str, str], problem: str
) -> None:
    write(tmp_path, "five_step", VALID.replace(*change, 1))

    with pytest.raises(MethodError, match=problem) as refused:
        load_library(tmp_path)

    assert "method file five_step.toml" in str(refused.value)


def test_a_file_whose_id_is_not_its_name_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "copy", VALID)

    with pytest.raises(MethodError, match=r"copy\.toml: id must be 'copy'"):
        load_library(tmp_path)
