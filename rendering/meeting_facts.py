"""What every meeting message shows: when (in each reader's zone), how long, where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rendering.i18n import Translator
from rendering.times import slack_time


@dataclass(frozen=True)
class MeetingFacts:
    meeting_id: int
    group_name: str
    starts_at: datetime
    minutes: int
    location: str
    case_slots: int
    tz: ZoneInfo


def where(tr: Translator, location: str) -> str:
    return location or tr.t("meeting.no_place")


def meeting_details(tr: Translator, facts: MeetingFacts) -> str:
    return tr.t(
        "meeting.details",
        when=slack_time(facts.starts_at, facts.tz, tr),
        minutes=facts.minutes,
        where=where(tr, facts.location),
        slots=facts.case_slots,
    )
