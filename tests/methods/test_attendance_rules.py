"""The pure rules and files of the meeting records: what counts toward a register's yearly
target, which year a meeting falls in for the member, and what a proof says."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from methods.attendance import Attended, Target, minutes_between, year_overview
from methods.verification import new_code, normalize_code
from rendering.attendance_files import (
    HistoryRow,
    Proof,
    duration_text,
    history_csv,
    local_span,
    overview_summary,
)
from rendering.attendance_papers import overview_pdf, proof_pdf
from rendering.i18n import Translator

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TOKYO = ZoneInfo("Asia/Tokyo")
EN, NL = Translator("en"), Translator("nl")
CODE = "K7QF-3MXD-9TPA-2HWN"


def meeting(start: datetime, minutes: int, meeting_id: int = 1) -> Attended:
    return Attended(
        meeting_id=meeting_id,
        group_name="Noord",
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        minutes=minutes,
        methods=("incident", "gossip"),
        cases_discussed=2,
    )


def test_only_meetings_of_at_least_the_minimum_length_count() -> None:
    start = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
    meetings = [meeting(start + timedelta(weeks=8 * n), m, n) for n, m in enumerate([90, 89, 120])]

    overview = year_overview(meetings, 2026, AMSTERDAM, Target())

    assert [m.minutes for m in overview.counted] == [90, 120]
    assert [m.minutes for m in overview.too_short] == [89]
    assert overview.counted_minutes == 210
    assert overview.missing == 2
    assert overview_summary(EN, overview) == (
        "In 2026 you took part in 2 intervisie meetings of at least 90 minutes, 3 h 30 min in"
        " total. Your target is 4: 2 more to go. 1 shorter meeting does not count toward your"
        " target."
    )


def test_a_met_target_says_so_and_never_counts_below_zero() -> None:
    start = datetime(2026, 1, 10, 18, 0, tzinfo=UTC)
    meetings = [meeting(start + timedelta(weeks=n), 100, n) for n in range(3)]

    overview = year_overview(meetings, 2026, AMSTERDAM, Target(meetings=2, minutes=60))

    assert overview.missing == 0
    assert "Je doel van 2 is gehaald" in overview_summary(NL, overview)


def test_the_year_is_the_members_own_new_year() -> None:
    """A meeting late on 31 December in UTC is already next year in Tokyo."""
    late = meeting(datetime(2026, 12, 31, 20, 0, tzinfo=UTC), 90)

    assert year_overview([late], 2026, AMSTERDAM, Target()).counted == (late,)
    assert year_overview([late], 2026, TOKYO, Target()).counted == ()
    assert year_overview([late], 2027, TOKYO, Target()).counted == (late,)


def test_durations_are_whole_minutes_and_read_naturally() -> None:
    start = datetime(2026, 12, 1, 18, 30, tzinfo=UTC)
    assert minutes_between(start, start + timedelta(minutes=94, seconds=31)) == 95
    assert minutes_between(start, start - timedelta(minutes=5)) == 0
    assert duration_text(EN, 95) == "1 h 35 min"
    assert duration_text(NL, 120) == "2 u 0 min"
    assert duration_text(EN, 45) == "45 min"


def test_a_meeting_past_midnight_shows_the_end_date() -> None:
    start = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    assert local_span(start, start + timedelta(minutes=90), AMSTERDAM) == (
        "23:00–2026-12-02 00:30 (Europe/Amsterdam)"
    )


def proof(others: tuple[str, ...] | None) -> Proof:
    return Proof(
        name="Dev | Patel",
        group="Noord",
        meeting=meeting(datetime(2026, 12, 1, 18, 30, tzinfo=UTC), 95),
        others=others,
        other_count=2,
        reference="abc@intervisie",
        corrected_at=None,
        tz=ZoneInfo("America/New_York"),
    )


def text_of(pdf: bytes) -> str:
    """The PDF's words as a reader sees them (lines wrapped in a cell are joined again)."""
    assert pdf.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_proof_names_the_others_only_when_the_group_allows_it() -> None:
    named = text_of(proof_pdf(EN, proof(("Anna", "Bram")), CODE, "https://intervisie.example"))
    private = text_of(proof_pdf(NL, proof(None), CODE, None))

    assert named.startswith("Proof of participation in intervisie")
    assert "Other attendees Anna, Bram" in named
    assert "Participant Dev | Patel" in named
    assert "Time 13:30–15:05 (America/New_York)" in named
    assert "Date December 1, 2026" in named and "Duration 1 h 35 min" in named
    assert "Methods used Incident method, Gossip method" in named
    assert "Cases discussed 2" in named
    assert f"Verification code: {CODE}" in named
    assert f"https://intervisie.example/verify/{CODE}" in named
    assert "Anna" not in private
    assert "Andere aanwezigen 2 andere deelnemers; de groep houdt hun namen" in private
    assert private.startswith("Bewijs van deelname aan intervisie")
    assert f"/intervisie verify {CODE}" in private


def test_names_in_any_script_print_as_they_are_written() -> None:
    others = ("Ελένη Παπαδοπούλου", "Дмитрий Орлов", "ليلى حداد", "דנה כהן")
    written = replace(proof(others), name="Zoë Çelik-Ağaoğlu")

    text = text_of(proof_pdf(NL, written, CODE, None))

    assert "Deelnemer Zoë Çelik-Ağaoğlu" in text
    assert "Ελένη Παπαδοπούλου, Дмитрий Орлов" in text
    assert "ليلى حداد" in text and "דנה כהן" in text


def test_the_yearly_overview_lists_every_meeting_and_which_count() -> None:
    start = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
    meetings = [meeting(start, 120, 1), meeting(start + timedelta(weeks=8), 60, 2)]
    overview = year_overview(meetings, 2026, AMSTERDAM, Target())

    text = text_of(overview_pdf(EN, "Zoë", overview, AMSTERDAM))

    assert text.startswith("Intervisie attendance in 2026")
    assert "Participant: Zoë" in text
    assert "Target: 4 meetings of at least 90 minutes a year." in text
    assert "1 intervisie meeting of at least 90 minutes, 2 h 0 min in total" in text
    assert "March 1, 2026 Noord 19:00–21:00 (Europe/Amsterdam) 2 h 0 min" in text
    assert "no, shorter than 90" in text and "yes" in text
    empty = text_of(
        overview_pdf(NL, "Zoë", year_overview([], 2025, AMSTERDAM, Target()), AMSTERDAM)
    )
    assert "Geen bijeenkomsten vastgelegd in 2025." in empty


def test_a_verification_code_is_unguessable_and_forgiving_to_type() -> None:
    codes = {new_code() for _ in range(200)}

    assert len(codes) == 200
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes)
    assert normalize_code("abcd efgh jkmn pqrs") == "ABCD-EFGH-JKMN-PQRS"
    assert normalize_code("ABCD-EFGH-JKMN-PQRO") == "ABCD-EFGH-JKMN-PQR0"  # O is read as 0
    assert normalize_code("ABCD-EFGH-JKMN-PQR") is None
    assert normalize_code("ABCD-EFGH-JKMN-PQRU") is None  # U is no code letter
    assert normalize_code("<script>") is None


def test_the_history_has_one_row_per_meeting_in_the_groups_zone() -> None:
    held = meeting(datetime(2026, 12, 1, 18, 30, tzinfo=UTC), 95)

    lines = history_csv(EN, [HistoryRow(held, 3, 5)], AMSTERDAM).splitlines()

    assert lines[1] == '2026-12-01,19:30,21:05,95,3,5,"Incident method, Gossip method",2'
