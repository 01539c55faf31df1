"""3. Timer precision with 1,000 cases running at once in one process; 4. recovery after a restart
with 10,000 pending reminders; 6. resident memory idle and with 1,000 running cases.

Timer precision is measured twice. First as in use: 1,000 groups that started their meetings
within a few minutes of each other, at four times real speed (TIME_SCALE 4), so their phase
changes and heads-ups come spread out at four times the real rate. Then the worst case: at
TIME_SCALE 60, all 1,000 change phase in the same second.

    python -m benchmarks.timers [sessions] [pending]
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from benchmarks.harness import percentiles, running_bot
from benchmarks.seed import seed
from bot import jobs
from methods.engine import start
from storage.models import Case, CaseRun, Reminder
from tests.slackkit.fake_slack import BOT_USER_ID, Call, FakeChannel

BURST_SCALE = 60.0  # the first incident phase (5 minutes) lasts 5 seconds


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timer_precision(sessions: int, spread: float, scale: float) -> None:
    """Case n starts `n * spread / sessions` seconds after the first."""
    with running_bot(run_scheduler=True, time_scale=scale) as bench:
        db = bench.services.db
        seed(db, sessions, sessions)
        for g in range(1, sessions + 1):
            bench.fake.add_channel(FakeChannel(f"CB{g:07d}", f"group-{g}", True, {BOT_USER_ID}))
        print(f"memory idle, {sessions:,} groups in the database: {rss_mb():.0f} MB")
        begin = datetime.now(UTC) + timedelta(seconds=15)
        step = timedelta(seconds=spread / sessions)
        with db.begin() as session:
            case_ids = session.scalars(select(Case.id).order_by(Case.id)).all()
            session.execute(
                insert(CaseRun),
                [
                    {
                        "meeting_id": case.meeting_id,
                        "case_id": case.id,
                        "position": 0,
                        "method_id": "incident",
                        "status": "running",
                        "phase": 0,
                        "phase_started_at": start(begin + n * step).phase_started_at,
                        "ran_before": 0.0,
                        "extra_minutes": 0,
                        "heads_up_sent": False,
                        "over_announced": False,
                        "parent_ts": f"1700000000.{n:06d}",
                    }
                    for n, case in enumerate(
                        session.scalars(select(Case).where(Case.id.in_(case_ids)))
                    )
                ],
            )
        jobs.install(bench.services)
        bench.services.scheduler.start()
        while not bench.services.scheduler.leading:
            time.sleep(0.05)
        first_due = begin + timedelta(seconds=5 * 60 / scale)
        bench.fake.wait_for(
            "chat.postMessage",
            lambda c: str(c.get("text", "")).startswith("Phase 2/"),
            count=sessions,
            timeout=spread + 5 * 60 / scale + 120,
        )
        prompts = [
            c
            for c in bench.fake.calls_to("chat.postMessage")
            if str(c.get("text", "")).startswith("Phase 2/")
        ]

        def due(prompt: Call) -> float:
            """When this case's first phase ended: its parent's ts numbers the case."""
            number = int(str(prompt["thread_ts"]).split(".")[1])
            return (first_due + number * step).timestamp()

        lateness = [max(0.0, c.received_at - due(c)) for c in prompts]
        p50, p99 = percentiles(lateness)
        when = f"spread over {spread:.0f} s" if spread else "all due in the same second"
        print(
            f"{sessions:,} running cases at TIME_SCALE {scale:.0f}, phase changes {when}: "
            f"prompt lateness p50 {p50:.0f} ms, p99 {p99:.0f} ms"
        )
        print(f"memory with {sessions:,} running cases: {rss_mb():.0f} MB")
        bench.services.scheduler.stop()
        time.sleep(3)  # let the last jobs finish before the fake Slack goes away


def restart_recovery(pending: int) -> None:
    with running_bot(run_scheduler=True) as bench:
        db = bench.services.db
        seed(db, pending // 10, 0)
        bench.fake.add_channel(FakeChannel("CB0000001", "group-1", True, {BOT_USER_ID}))
        now = datetime.now(UTC)
        with db.begin() as session:
            rows = [
                {
                    "meeting_id": (n % (pending // 10)) + 1,
                    "kind": f"bench{n // (pending // 10)}",
                    "due_at": now + timedelta(days=30),
                    "status": "pending",
                }
                for n in range(pending - 1)
            ]
            rows.append({"meeting_id": 1, "kind": "soon", "due_at": now, "status": "pending"})
            session.execute(insert(Reminder), rows)
        started = time.perf_counter()
        jobs.install(bench.services)
        bench.services.scheduler.start()
        bench.fake.wait_for("chat.postMessage", timeout=300)
        first = time.perf_counter() - started
        while len(bench.services.scheduler._scheduler.get_jobs()) < pending:
            time.sleep(0.2)
        print(
            f"restart with {pending:,} pending reminders: first due prompt after {first:.2f}s; "
            f"all {pending:,} timers scheduled after {time.perf_counter() - started:.1f}s"
        )
        sent = len(bench.fake.calls_to("chat.postMessage"))
        print(f"messages sent: {sent} (expected 1: nothing doubled)")
        bench.services.scheduler.stop()


if __name__ == "__main__":
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    timer_precision(cases, spread=150.0, scale=4.0)
    timer_precision(cases, spread=0.0, scale=BURST_SCALE)
    restart_recovery(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
