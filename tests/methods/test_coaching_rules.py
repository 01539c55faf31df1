"""The coach's path as pure rules: the readiness checklist from a group's facts, the stances a
step leads to, and until when a step can be undone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from methods.coaching import (
    COACHING,
    HAND_OVER,
    HANDED_OVER,
    OBSERVING,
    STEP_BACK,
    GroupFacts,
    Thresholds,
    may_undo,
    readiness,
    stance_after,
)

FACTS = GroupFacts(
    members=("A", "B", "C", "D"),
    meetings=3,
    chairs=("A", "B", "C"),
    timekeepers=("A", "B", "C", "D"),
    owners=("A", "B", "C", "D", "X"),  # X left the group since
    methods=("incident",),
    moves_by_members=11,
    moves_by_coach=1,
    present=(4, 3, 4),
    safety=None,
    usefulness=None,
    goals=3,
    goals_followed_up=2,
)


DEFAULTS = Thresholds()


def lines(facts: GroupFacts, thresholds: Thresholds = DEFAULTS) -> dict[str, tuple[bool, int, int]]:
    return {c.key: (c.holds, c.done, c.total) for c in readiness(facts, thresholds)}


def test_the_checklist_says_each_fact_and_whether_it_holds() -> None:
    assert lines(FACTS) == {
        "chaired": (False, 3, 4),
        "kept_time": (True, 4, 4),
        "brought_case": (True, 4, 4),
        "moved_on": (True, 11, 12),
        "methods": (False, 1, 2),
    }


def test_the_groups_thresholds_decide_the_share_and_the_methods() -> None:
    strict = Thresholds(meetings=2, share=95, methods=1)
    assert lines(FACTS, strict)["moved_on"] == (False, 11, 12)
    assert lines(FACTS, strict)["methods"] == (True, 1, 1)


def test_a_group_that_moved_no_phase_on_by_hand_is_not_yet_ready() -> None:
    idle = replace(FACTS, moves_by_members=0, moves_by_coach=0, members=())
    assert lines(idle) == {
        "chaired": (False, 0, 0),
        "kept_time": (False, 0, 0),
        "brought_case": (False, 0, 0),
        "moved_on": (False, 0, 0),
        "methods": (False, 1, 2),
    }


def test_each_step_leads_on_from_where_the_coach_stands() -> None:
    assert stance_after(COACHING, STEP_BACK) == OBSERVING
    assert stance_after(OBSERVING, STEP_BACK) is None
    assert stance_after(COACHING, HAND_OVER) == HANDED_OVER
    assert stance_after(OBSERVING, HAND_OVER) == HANDED_OVER
    assert stance_after(HANDED_OVER, HAND_OVER) is None


def test_a_step_is_undone_only_before_the_next_meeting_starts() -> None:
    stepped = datetime(2026, 12, 4, 10, tzinfo=UTC)
    assert may_undo(stepped, meeting_started_since=False)
    assert not may_undo(stepped, meeting_started_since=True)
    assert not may_undo(None, meeting_started_since=False)
