"""Timers: 3. precision with 1,000 cases running at once; 4. recovery after a restart with
10,000 pending reminders; 5. failover; 6. resident memory idle and with 1,000 running cases.

The bot runs as production runs it (`python -m bot`, its own process) against the fake Slack in
this process, so that the figures are the bot's own and not the fake's.

Timer precision is measured twice. First as in use: 1,000 groups that started their meetings
within a few minutes of each other, at four times real speed (TIME_SCALE 4), so their phase
changes and heads-ups come spread out at four times the real rate. Then the worst case: at
TIME_SCALE 60, all 1,000 change phase in the same second. The bot's CPU time per phase change
is read from the operating system over that second burst.

Failover: a single bot killed with SIGKILL and started again at once, and (on the same
database) a standby process taking over from a leader killed with SIGKILL: how long until a
prompt that fell due meanwhile is sent.

    python -m benchmarks.timers [sessions] [pending] [precision|burst|busy|starting|recovery]

`busy`: one workspace's groups (40 by default) change phase in the same second at TIME_SCALE 10,
with the fake Slack refusing what Slack refuses over its rate limits (429 and Retry-After).
`starting`: one workspace's groups (the first argument) start their meetings within the same
minute and run a case to its end at TIME_SCALE 10, under the same limits.

Set SLACK_LATENCY (see benchmarks/harness.py) to give the fake Slack Slack's own answer time.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select, update

from benchmarks.harness import (
    SECRET,
    Database,
    bot_process,
    cpu_seconds,
    fake_slack,
    fresh_database,
    latency_label,
    percentiles,
    running_bot,
)
from bot import jobs
from methods.engine import start
from methods.library import methods
from storage.models import Case, CaseRun, Group, Meeting, Reminder
from tests.crowd import running_cases, seed
from tests.processes import free_port, leads
from tests.slackkit.fake_slack import (
    BOT_USER_ID,
    TEAM_ID,
    Call,
    FakeChannel,
    FakeSlack,
    FakeUser,
)
from tests.slackkit.sender import SlackSender

BURST_SCALE = 60.0  # the first incident phase (5 minutes) lasts 5 seconds
FIRST_PHASE_SECONDS = 5 * 60


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def second_prompts(fake: FakeSlack) -> list[Call]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if str(c.get("text", "")).startswith("Phase 2/")
    ]


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.25) -> None:
    """Poll, not too often: the fake Slack shares this process with the measuring."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not get there in time")
        time.sleep(every)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def timer_precision(sessions: int, spread: float, scale: float, limits: bool = False) -> None:
    """With `limits`, the fake Slack refuses what Slack refuses over its rate limits."""
    with fresh_database() as database, fake_slack() as fake, tempfile.TemporaryDirectory() as d:
        if limits:
            fake.enforce_limits()
        begin = datetime.now(UTC) + timedelta(seconds=20)
        step = spread / sessions
        running_cases(fake, database.db, sessions, begin, step)
        bot = bot_process(
            fake, database, d, PORT=str(free_port()), RUN_SCHEDULER="true", TIME_SCALE=str(scale)
        )
        try:
            print(f"memory idle after start, {sessions:,} running cases: {rss_mb(bot.pid):.0f} MB")
            first_due = begin + timedelta(seconds=FIRST_PHASE_SECONDS / scale)
            until = (first_due - datetime.now(UTC)).total_seconds()
            wait_until(lambda: datetime.now(UTC) >= first_due - timedelta(seconds=0.5), until + 5)
            cpu_before, window = cpu_seconds(bot.pid), time.time()
            wait_until(lambda: len(second_prompts(fake)) >= sessions, spread + 5 * 60 / scale + 300)
            cpu = cpu_seconds(bot.pid) - cpu_before
            timed = [
                c
                for c in fake.calls_to("chat.postMessage")
                if c.get("thread_ts") and c.received_at >= window
            ]
            memory = rss_mb(bot.pid)
        finally:
            stopping = time.monotonic()
            stop(bot)
            stopped = time.monotonic() - stopping

        def due(prompt: Call) -> float:
            """When this case's first phase ended: its parent's ts numbers the case."""
            number = int(str(prompt["thread_ts"]).split(".")[1])
            return (first_due + timedelta(seconds=number * step)).timestamp()

        lateness = [max(0.0, c.received_at - due(c)) for c in second_prompts(fake)]
        p50, p99 = percentiles(lateness)
        when = f"spread over {spread:.0f} s" if spread else "all due in the same second"
        print(
            f"{sessions:,} running cases at TIME_SCALE {scale:.0f}, phase changes {when}, "
            f"{latency_label()}: "
            f"prompt lateness p50 {p50:.0f} ms, p99 {p99:.0f} ms; bot CPU "
            f"{cpu / len(timed) * 1000:.1f} ms per timed message ({len(timed):,} phase prompts "
            "and heads-ups, each with what goes with it)"
        )
        print(f"memory with {sessions:,} running cases: {memory:.0f} MB")
        print(f"SIGTERM to exit: {stopped:.1f} s")
        if limits:
            once = len({c["thread_ts"] for c in second_prompts(fake)})
            refused = ", ".join(f"{m} {n}" for m, n in sorted(fake.limited.items())) or "none"
            print(
                f"with Slack's rate limits: each case's second phase prompt sent once: {once} of "
                f"{sessions} ({len(second_prompts(fake))} sent); lateness in meeting time p50 "
                f"{p50 * scale / 1000:.1f} s, p99 {p99 * scale / 1000:.1f} s; "
                f"calls Slack refused: {refused}"
            )


def meetings_starting(groups: int, scale: float = 10.0) -> None:
    """`groups` groups of one workspace start their meetings within the same minute (one after
    the other, a member typing `/intervisie start`), each with one case by the incident method,
    which then runs to its end at TIME_SCALE `scale`; the fake Slack refuses what Slack refuses
    over its rate limits."""
    phases = methods()["incident"].phases
    starts = [sum(p.minutes for p in phases[:k]) * 60 / scale for k in range(len(phases))]
    with fresh_database() as database, fake_slack() as fake, tempfile.TemporaryDirectory() as d:
        fake.enforce_limits()
        seed(database.db, groups, groups)
        with database.db.begin() as session:
            session.execute(update(Group).values(team_id=TEAM_ID, welcome_ts="1690000000.000100"))
            session.execute(update(Meeting).values(starts_at=datetime.now(UTC)))
            session.execute(update(Case).values(method="incident"))
        for g in range(1, groups + 1):
            members = {f"UB{g:06d}{m}" for m in range(5)}
            for member in members:
                fake.add_user(FakeUser(member, f"member {member}", "Europe/Amsterdam", "en-US"))
            fake.add_channel(FakeChannel(f"CB{g:07d}", f"group-{g}", True, {BOT_USER_ID, *members}))
        port = free_port()
        bot = bot_process(
            fake, database, d, PORT=str(port), RUN_SCHEDULER="true", TIME_SCALE=str(scale)
        )
        slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET, fake)
        started: dict[str, tuple[float, float]] = {}
        try:
            for g in range(1, groups + 1):
                sent = time.time()
                slack.command(f"UB{g:06d}0", f"CB{g:07d}", "start")
                # When its case began: the phases' due moments follow from it.
                wait_until(lambda g=g: first_phase_began(database, g) is not None, 30, 0.02)
                began = first_phase_began(database, g)
                assert began is not None
                started[f"CB{g:07d}"] = (sent, began)
                time.sleep(max(0.0, sent + 60 / groups - time.time()))
            wait_until(
                lambda: sum(len(prompts_in(fake, c)) for c in started) >= groups * len(phases),
                starts[-1] + 360,
            )
            fake.settle(quiet=2.0)
        finally:
            stop(bot)
    lateness, first_prompts, in_order = [], [], 0
    by_phase: dict[int, list[float]] = {}
    for channel, (sent, began) in started.items():
        prompts = prompts_in(fake, channel)
        numbers = [int(str(c["text"]).split("/")[0].removeprefix("Phase ")) for c in prompts]
        in_order += numbers == list(range(1, len(phases) + 1))
        if prompts:
            first_prompts.append(prompts[0].received_at - sent)
        for prompt, number in zip(prompts[1:], numbers[1:], strict=True):
            lateness.append(max(0.0, prompt.received_at - (began + starts[number - 1])))
            by_phase.setdefault(number, []).append(lateness[-1])
    p50, p99 = percentiles(lateness)
    f50, f99 = percentiles(first_prompts)
    refused = ", ".join(f"{m} {n}" for m, n in sorted(fake.limited.items())) or "none"
    print(
        f"{groups} groups of one workspace start their meetings within a minute, "
        f"{latency_label()}, TIME_SCALE {scale:.0f}: every phase once and in order in "
        f"{in_order} of {groups}; from `/intervisie start` to the first prompt p50 {f50:.0f} ms, "
        f"p99 {f99:.0f} ms; later prompts' lateness p50 {p50:.0f} ms, p99 {p99:.0f} ms "
        f"(in meeting time {p50 * scale / 1000:.1f} s / {p99 * scale / 1000:.1f} s); panels "
        f"pinned {len(fake.calls_to('pins.add'))} of {groups}; calls Slack refused over its "
        f"limits: {refused}"
    )
    worst = ", ".join(f"{n}: {max(late):.1f} s" for n, late in sorted(by_phase.items()))
    print(f"latest prompt by phase: {worst}")


def first_phase_began(database: Database, group: int) -> float | None:
    """When the case of group `group`'s meeting began its first phase (epoch seconds)."""
    with database.db() as session:
        run = session.scalars(select(CaseRun).where(CaseRun.meeting_id == group)).first()
        if run is None or run.phase != 0 or run.phase_started_at is None:
            return None
        return run.phase_started_at.timestamp()


def prompts_in(fake: FakeSlack, channel: str) -> list[Call]:
    """The phase prompts Slack took in the channel, in order of arrival."""
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c["channel"] == channel and str(c.get("text", "")).startswith("Phase ")
    ]


def restart_recovery(pending: int) -> None:
    """In this process, to count the scheduler's jobs as they are rebuilt."""
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


def failover() -> None:
    """One case whose first phase ends 3 s after its leader is killed."""
    scale = 100.0  # the first phase lasts 3 s
    with fresh_database() as database, fake_slack() as fake, tempfile.TemporaryDirectory() as d:

        def process(port: int) -> subprocess.Popen[bytes]:
            env = {"PORT": str(port), "RUN_SCHEDULER": "true", "TIME_SCALE": str(scale)}
            return bot_process(fake, database, d, **env)

        ports = [free_port(), free_port()]
        running_cases(fake, database.db, 2, datetime.now(UTC) + timedelta(days=1), 0)
        leader = process(ports[0])
        standby = process(ports[1])
        wait_until(lambda: leads(ports[0]), 10, every=0.02)

        # A standby takes over from a killed leader.
        due = restart_the_first_phase(database, 0)
        leader.send_signal(signal.SIGKILL)
        leader.wait()
        killed = time.monotonic()
        wait_until(lambda: leads(ports[1]), 30, every=0.02)
        took_over = time.monotonic() - killed
        wait_until(lambda: len(second_prompts(fake)) == 1, 30, every=0.02)
        late = second_prompts(fake)[0].received_at - due
        print(
            f"standby takes over from a leader killed with SIGKILL after {took_over:.2f}s; "
            f"the prompt due 3 s after the kill came {late * 1000:.0f} ms late"
        )

        # The only process is killed, and started again at once.
        due = restart_the_first_phase(database, 1)
        standby.send_signal(signal.SIGKILL)
        standby.wait()
        wait_until(lambda: time.time() > due + 1, 10, every=0.02)  # the moment passes meanwhile
        restart = time.time()
        again = process(ports[1])
        started = time.time() - restart
        wait_until(lambda: len(second_prompts(fake)) == 2, 30, every=0.02)
        resumed = second_prompts(fake)[1].received_at - restart
        print(
            f"single bot killed with SIGKILL and started again at once: the overdue prompt was "
            f"sent {resumed:.2f}s after the start (the process took {started:.2f}s to serve)"
        )
        stop(again)


def restart_the_first_phase(database: Database, number: int) -> float:
    """Case `number` starts its first phase now, unknown to the bot until it reconciles (as
    after a takeover or a restart); when the phase ends (epoch seconds)."""
    now = datetime.now(UTC)
    with database.db.begin() as session:
        run = session.scalars(select(CaseRun).order_by(CaseRun.id)).all()[number]
        run.phase_started_at = start(now).phase_started_at
    return now.timestamp() + FIRST_PHASE_SECONDS / 100.0


if __name__ == "__main__":
    if "starting" in sys.argv[3:]:
        meetings_starting(int(sys.argv[1]))
        sys.exit()
    if "busy" in sys.argv[3:]:
        timer_precision(int(sys.argv[1]), spread=0.0, scale=10.0, limits=True)
        sys.exit()
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    if "recovery" in sys.argv[3:]:  # `... 1000 10000 recovery`: the restart and failovers only
        restart_recovery(int(sys.argv[2]))
        failover()
        sys.exit()
    if "burst" not in sys.argv[3:]:  # `... 1000 10000 burst`: only the worst case
        timer_precision(cases, spread=150.0, scale=4.0)
    timer_precision(cases, spread=0.0, scale=BURST_SCALE)
    if not {"precision", "burst"} & set(sys.argv[3:]):  # `precision`: the two runs above only
        restart_recovery(int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
        failover()
