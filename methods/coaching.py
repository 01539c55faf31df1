"""The coach's path to a self-running group, as pure rules: the coach's stances, when a step can
still be undone, and the readiness checklist drawn from a group's facts (counts and roles only,
never what a case was about)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

COACHING, OBSERVING, HANDED_OVER = "coaching", "observing", "handed_over"
STEP_BACK, HAND_OVER, UNDO = "step_back", "hand_over", "undo"

# The thresholds' bounds (the group's settings): recent meetings counted, the share in percent
# of phases moved on by members, the methods a group has used.
READY_MEETINGS = (1, 12)
READY_SHARE = (50, 100)
READY_METHODS = (1, 8)


@dataclass(frozen=True)
class Thresholds:
    meetings: int = 2
    share: int = 80
    methods: int = 2


@dataclass(frozen=True)
class GroupFacts:
    """How a group has run its meetings so far, as the coach's view shows it."""

    members: tuple[str, ...]
    meetings: int  # held so far
    chairs: tuple[str, ...]  # members who chaired a case
    timekeepers: tuple[str, ...]  # members who kept time
    owners: tuple[str, ...]  # members who brought a case that was discussed
    methods: tuple[str, ...]  # the methods used, first used first
    moves_by_members: int  # "next phase" clicks in the recent meetings, by members
    moves_by_coach: int  # ... and by the coach
    present: tuple[int, ...]  # members present at each held meeting, oldest first
    safety: float | None  # the evaluations' averages, None below the anonymity threshold
    usefulness: float | None
    goals: int  # goals the case owners set
    goals_followed_up: int


@dataclass(frozen=True)
class Check:
    """One line of the checklist: its text's key, whether it holds, and the figures beside it."""

    key: str
    holds: bool
    done: int
    total: int


def _of_members(facts: GroupFacts, who: Sequence[str]) -> int:
    return len(set(who) & set(facts.members))


def readiness(facts: GroupFacts, thresholds: Thresholds) -> tuple[Check, ...]:
    """Whether the group runs itself, in plain facts: each line true or not, with its figures."""
    members = len(facts.members)
    moves = facts.moves_by_members + facts.moves_by_coach
    chaired = _of_members(facts, facts.chairs)
    timed = _of_members(facts, facts.timekeepers)
    brought = _of_members(facts, facts.owners)
    return (
        Check("chaired", members > 0 and chaired == members, chaired, members),
        Check("kept_time", members > 0 and timed == members, timed, members),
        Check("brought_case", members > 0 and brought == members, brought, members),
        Check(
            "moved_on",
            moves > 0 and facts.moves_by_members * 100 >= thresholds.share * moves,
            facts.moves_by_members,
            moves,
        ),
        Check(
            "methods",
            len(facts.methods) >= thresholds.methods,
            len(facts.methods),
            thresholds.methods,
        ),
    )


def may_undo(step_at: datetime | None, meeting_started_since: bool) -> bool:
    """A step can be undone by the coach until the next meeting starts."""
    return step_at is not None and not meeting_started_since


def stance_after(stance: str, step: str) -> str | None:
    """The stance a step leads to from `stance`; None when the step makes no sense there."""
    if step == STEP_BACK and stance == COACHING:
        return OBSERVING
    if step == HAND_OVER and stance in (COACHING, OBSERVING):
        return HANDED_OVER
    return None
