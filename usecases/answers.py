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
    NOT_COACH = "not_coach"  # a coach's button, pressed by someone else
    NO_COACH = "no_coach"  # a coach's step, for a group without a coach
    ALREADY = "already"  # the step was taken before
    TOO_LATE = "too_late"  # nothing to undo, or the next meeting has started since
    OBSERVING = "observing"  # the coach stepped back: members hold the controls
    NO_MEETING = "no_meeting"  # no meeting planned to call the coach back for
    COACH_LEFT = "coach_left"  # the former coach is no longer in the workspace
