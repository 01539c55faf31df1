"""What the meeting records' files say: a member's proof of participation and yearly overview
(as rows; attendance_papers.py lays them out as PDF) and a group's history (CSV). Pure: tests
call them directly. Nothing of the content of the cases ever appears here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from methods.attendance import Attended, YearOverview
from methods.library import methods
from rendering.i18n import Translator
from rendering.markup import Mrkdwn, join


def duration_text(tr: Translator, minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return tr.t("attendance.duration_short", minutes=rest)
    return tr.t("attendance.duration", hours=hours, minutes=rest)


def method_names(tr: Translator, method_ids: tuple[str, ...]) -> str:
    library = methods()
    names = [library[m].named(tr.language) if m in library else m for m in method_ids]
    return ", ".join(names) or tr.t("attendance.proof_none")


def local_date(moment: datetime, tz: ZoneInfo) -> str:
    """The day in ISO form, for files and tables read by machines (CSV, file names)."""
    return f"{moment.astimezone(tz):%Y-%m-%d}"


def reader_date(tr: Translator, moment: datetime, tz: ZoneInfo) -> str:
    """The day as the reader's language writes it (1 december 2026, December 1, 2026)."""
    return tr.date(moment.astimezone(tz).date())


def local_span(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """ "19:30–21:05 (Europe/Amsterdam)", with the end's date when it falls on another day."""
    first, last = start.astimezone(tz), end.astimezone(tz)
    until = f"{last:%H:%M}" if first.date() == last.date() else f"{last:%Y-%m-%d %H:%M}"
    return f"{first:%H:%M}–{until} ({tz.key})"


@dataclass(frozen=True)
class Proof:
    """What one attendee's proof of participation says."""

    name: str
    group: str
    meeting: Attended
    others: tuple[str, ...] | None  # the other attendees' names, or None when kept private
    other_count: int
    reference: str
    corrected_at: datetime | None
    tz: ZoneInfo


@dataclass(frozen=True)
class Verified:
    """A proof found by its code: `replaced_at` when a correction replaced it."""

    proof: Proof
    code: str
    group_id: int
    replaced_at: datetime | None


def proof_rows(tr: Translator, proof: Proof) -> list[tuple[str, str]]:
    """The facts of a proof, as the PDF, the verification page and `/intervisie verify` show
    them: label and value."""
    meeting, tz = proof.meeting, proof.tz
    if proof.others is None:
        others = tr.t("attendance.proof_others_count", count=proof.other_count)
    else:
        others = ", ".join(proof.others) or tr.t("attendance.proof_none")
    return [
        (tr.t("attendance.proof_participant"), proof.name),
        (tr.t("attendance.proof_group"), proof.group),
        (tr.t("attendance.proof_date"), reader_date(tr, meeting.started_at, tz)),
        (tr.t("attendance.proof_time"), local_span(meeting.started_at, meeting.ended_at, tz)),
        (tr.t("attendance.proof_duration"), duration_text(tr, meeting.minutes)),
        (tr.t("attendance.proof_methods"), method_names(tr, meeting.methods)),
        (tr.t("attendance.proof_cases"), str(meeting.cases_discussed)),
        (tr.t("attendance.proof_others"), others),
    ]


def overview_summary(tr: Translator, overview: YearOverview) -> Mrkdwn:
    """The plain sentence: how many meetings count this year, and how far from the target."""
    target = overview.target
    values = {
        "year": overview.year,
        "counted": tr.t("counted.meeting", count=len(overview.counted)),
        "minimum": target.minutes,
        "duration": duration_text(tr, overview.counted_minutes),
        "target": target.meetings,
        "missing": overview.missing,
    }
    text = tr.t(
        "attendance.overview_met" if overview.missing == 0 else "attendance.overview_short",
        **values,
    )
    if overview.too_short:
        too_short = tr.t("attendance.overview_too_short", count=len(overview.too_short))
        return join(" ", [text, too_short])
    return text


def overview_rows(
    tr: Translator, overview: YearOverview, tz: ZoneInfo
) -> tuple[list[str], list[list[str]]]:
    """The yearly overview's table: its header, and a row per meeting of the year."""
    header = [
        tr.text(key)
        for key in (
            "attendance.proof_date",
            "attendance.proof_group",
            "attendance.proof_time",
            "attendance.proof_duration",
            "attendance.proof_methods",
            "attendance.overview_counts",
        )
    ]
    meetings = sorted(overview.counted + overview.too_short, key=lambda m: m.started_at)
    rows = [
        [
            reader_date(tr, meeting.started_at, tz),
            meeting.group_name,
            local_span(meeting.started_at, meeting.ended_at, tz),
            duration_text(tr, meeting.minutes),
            method_names(tr, meeting.methods),
            tr.text("attendance.overview_yes")
            if meeting in overview.counted
            else tr.text("attendance.overview_no", minimum=overview.target.minutes),
        ]
        for meeting in meetings
    ]
    return header, rows


@dataclass(frozen=True)
class HistoryRow:
    meeting: Attended
    present: int
    members: int


def history_csv(tr: Translator, rows: list[HistoryRow], tz: ZoneInfo) -> str:
    """The group's meetings, one row each, times in the group's zone; no content."""
    out = io.StringIO()
    writer = csv.writer(out)
    keys = ("date", "start", "end", "minutes", "present", "members", "methods", "cases")
    writer.writerow([tr.text(f"attendance.csv.{key}") for key in keys])
    for row in rows:
        meeting = row.meeting
        writer.writerow(
            [
                local_date(meeting.started_at, tz),
                f"{meeting.started_at.astimezone(tz):%H:%M}",
                f"{meeting.ended_at.astimezone(tz):%H:%M}",
                meeting.minutes,
                row.present,
                row.members,
                method_names(tr, meeting.methods),
                meeting.cases_discussed,
            ]
        )
    return out.getvalue()
