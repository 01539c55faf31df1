"""What became of a member's click, so the handler can explain a refusal."""

from __future__ import annotations

from enum import StrEnum


class Answer(StrEnum):
    DONE = "done"
    NOT_A_MEMBER = "not_a_member"
    CLOSED = "closed"
    IN_THE_PAST = "in_the_past"
    NOT_ALLOWED = "not_allowed"
    WAITING = "waiting"  # not everyone has contributed yet
    ROUND_CLOSED = "round_closed"  # a click or modal for a phase that has ended
