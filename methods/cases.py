"""What a case is made of, and which cases a meeting takes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

URGENCIES = ("high", "medium", "low")
TITLE_MAX = 150
SITUATION_MAX = 3000
QUESTION_MAX = 1000
LINK_MAX = 500


@dataclass(frozen=True)
class CaseFields:
    """Everything the case modal edits."""

    title: str
    situation: str
    question: str
    kind: str
    method: str | None
    urgency: str
    link: str | None


@dataclass(frozen=True)
class Candidate:
    case_id: int
    votes: int
    urgency: str
    submitted_order: int


def choose(candidates: Sequence[Candidate], slots: int) -> list[int]:
    """The cases with the most votes fill the slots; ties go to the more pressing case, then
    to the one submitted first."""
    ranked = sorted(
        candidates, key=lambda c: (-c.votes, URGENCIES.index(c.urgency), c.submitted_order)
    )
    return [c.case_id for c in ranked[: max(slots, 0)]]
