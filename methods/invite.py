"""Calendar invites (.ics): one stable UID per meeting, so an update or cancellation changes the
same calendar entry; the sequence number tells calendars which version is newest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//intervisie-bot//intervisie//EN"


@dataclass(frozen=True)
class Invite:
    uid: str
    sequence: int
    title: str
    description: str
    location: str
    start: datetime
    minutes: int
    stamp: datetime
    cancelled: bool = False


def invite_ics(invite: Invite) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if invite.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp)
    event.add("dtstart", invite.start)
    event.add("dtend", invite.start + timedelta(minutes=invite.minutes))
    event.add("summary", invite.title)
    event.add("description", invite.description)
    if invite.location:
        event.add("location", invite.location)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
