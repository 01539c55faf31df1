"""7. Papers and pictures: how long the bot takes to lay out a proof of participation (PDF), a
yearly overview with a meeting every week (PDF), and a group's year review (PNG chart), and how
large they are. They are made after the request is acknowledged, in the listener's thread.

    python -m benchmarks.papers [rounds]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.harness import percentiles
from methods.attendance import Attended, Target, year_overview
from methods.review import HeldMeeting, YearReview, goal_counts
from rendering.attendance_files import Proof
from rendering.attendance_papers import overview_pdf, proof_pdf
from rendering.i18n import Translator
from rendering.review_chart import review_chart

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TR = Translator("nl")
# Slack's patience with an acknowledgement: the papers are made after it, so they never hold
# it up; the ratio says how long a member waits for the file compared to it.
SLACK_WINDOW_MS = 3000


def _meeting(n: int) -> Attended:
    start = datetime(2026, 1, 5, 18, 0, tzinfo=UTC) + timedelta(weeks=n)
    return Attended(n, "Noord", start, start + timedelta(minutes=95), 95, ("incident",), 2)


def _timed(rounds: int, make: Callable[[], bytes]) -> tuple[list[float], int]:
    make()  # the first one loads the font and the drawing code
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        size = len(make())
        timings.append(time.perf_counter() - started)
    return timings, size


def main(rounds: int) -> None:
    proof = Proof("Zoë Çelik", "Noord", _meeting(0), ("Anna", "Bram"), 2, "ref", None, AMSTERDAM)
    overview = year_overview([_meeting(n) for n in range(52)], 2026, AMSTERDAM, Target())
    review = YearReview(
        "Noord",
        2026,
        tuple(
            HeldMeeting(date(2026, 1, 6) + timedelta(weeks=6 * n), 95, 5, 6, 4.2, 3.9)
            for n in range(9)
        ),
        goal_counts(["achieved"] * 5 + ["partly"] * 3 + ["not_yet"]),
    )
    papers: dict[str, Callable[[], bytes]] = {
        "proof of participation (PDF)": lambda: proof_pdf(TR, proof, "K7QF-3MXD-9TPA-2HWN", None),
        "yearly overview, 52 meetings (PDF)": lambda: overview_pdf(TR, "Zoë", overview, AMSTERDAM),
        "year review, 9 meetings (PNG)": lambda: review_chart(TR, review),
    }
    for name, make in papers.items():
        timings, size = _timed(rounds, make)
        p50, p99 = percentiles(timings)
        share = p99 / SLACK_WINDOW_MS
        print(
            f"{name}: p50 {p50:.0f} ms, p99 {p99:.0f} ms ({share:.2f}x Slack's 3 s window), "
            f"{size / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
