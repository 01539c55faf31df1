"""What a group is made of, and the rules for its size."""

from __future__ import annotations

from dataclasses import dataclass

MIN_MEMBERS = 2
MAX_MEMBERS = 12
IDEAL_MEMBERS = range(4, 7)
DEFAULT_CADENCE_WEEKS = 8
DEFAULT_MEETING_MINUTES = 120
RETENTION_RANGE = range(7, 731)


@dataclass(frozen=True)
class GroupFields:
    """Everything the group modal edits."""

    name: str
    member_ids: tuple[str, ...]
    facilitator_id: str | None
    cadence_weeks: int
    meeting_minutes: int
    language: str
    timezone: str
    ground_rules: str
    case_request_days: int = 7
    agenda_hours: int = 24
    soon_minutes: int = 15
    auto_advance: bool = True
    follow_up_days: int = 3
    retention_days: int = 90
    share_attendee_names: bool = False
