"""How much a meeting says in the group's channel: a scripted two-case meeting (the incident
method, then the gossip method) in a group set up as `/intervisie setup` leaves it (welcome and
pinned panel), from its planning to its closing round, counted as members see it:
new messages in the channel (at top level and in threads), edits, and for each member how many
new posts mention them. DMs are counted apart: they reach one person each.

    python -m benchmarks.meeting_noise
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from benchmarks.harness import SECRET, fake_slack, fresh_database, serve, settings
from bot import jobs
from bot.app import create_app, create_services
from methods.cases import CaseFields
from methods.library import methods
from storage.cases import add_case
from storage.models import CaseRun, Meeting, Reminder, RunMessage
from tests.conftest import Bot, FakeClock
from tests.slackkit.executor import TrackingExecutor
from tests.slackkit.fake_slack import TEAM_ID, Call
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD
from tests.slackkit.sender import SlackSender
from tests.stories import given_group, schedule
from tests.test_followup import DEC_1
from usecases.panel import refresh_panel

# This same script on main at bdcee59, before the meeting became quieter (issue #33).
BEFORE = {"channel messages": 32, "at top level": 9, "edits": 25, "mentions of one member": 9}
CASES = (
    (BRAM, "incident", "A client keeps moving deadlines"),
    (CHLOE, "gossip", "Saying no to a friend's project"),
)
MENTION = re.compile(r"<@(U[A-Z0-9]+)>")
STAMPS = itertools.count(1_800_000_000)


def run_the_meeting(bot: Bot) -> int:
    """Plan and hold the meeting; returns how many Slack calls came before it (the group's
    setup, which posts and pins the panel, as `/intervisie setup` does)."""
    group_id = given_group(bot.db, bot.clock(), language="en")
    refresh_panel(bot.services, group_id)
    before_the_meeting = len(bot.fake.calls)
    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")
    with bot.db.begin() as session:
        meeting = session.scalars(select(Meeting)).one()
        for owner, method, title in CASES:
            fields = CaseFields(title, "What happened.", "Now?", "incident", method, "high", None)
            add_case(session, meeting.group, meeting.id, owner, fields, bot.clock())
    jobs.install(bot.services)
    for kind, before in (("agenda", timedelta(days=1)), ("soon", timedelta(minutes=15))):
        bot.clock.set(DEC_1 - before)
        remind(bot, kind)
    bot.clock.set(DEC_1)
    remind(bot, "start")
    bot.slack.command(ANNA, NOORD, "start")
    answered: set[tuple[int, int]] = set()
    for _ in range(400):  # a minute at a time, until both cases are done and all is sent
        with bot.db() as session:
            runs = session.scalars(select(CaseRun).order_by(CaseRun.position)).all()
            unsent = set(
                session.scalars(select(RunMessage.run_id).where(RunMessage.sent_at.is_(None)))
            )
            running = [
                (r.id, r.phase, r.parent_ts, r.method_id)
                for r in runs
                if r.status == "running" or r.id in unsent  # as the run's timer would
            ]
            done = len(runs) == len(CASES) and all(r.status == "done" for r in runs)
        if done and not unsent:
            return before_the_meeting
        for run_id, phase, thread, method in running:
            if methods()[method].phases[phase].collect and (run_id, phase) not in answered:
                answered.add((run_id, phase))
                for member in (ANNA, DEV):  # two members write their part in the thread
                    say_in_thread(bot, member, thread)
        bot.clock.advance(timedelta(minutes=1))
        for run_id, *_ in running:
            jobs.tick_run(TEAM_ID, run_id)
    raise AssertionError("the meeting did not end")


def remind(bot: Bot, kind: str) -> None:
    with bot.db() as session:
        reminder = session.scalars(select(Reminder.id).where(Reminder.kind == kind)).one()
    jobs.send_reminder(TEAM_ID, reminder)


def say_in_thread(bot: Bot, user: str, thread: str | None) -> None:
    ts = f"{next(STAMPS)}.000300"
    message = {"type": "message", "channel": NOORD, "user": user, "text": "My part.", "ts": ts}
    bot.slack.event({**message, "thread_ts": thread, "channel_type": "group", "event_ts": ts})


def count(calls: list[Call]) -> dict[str, int]:
    posts = [c for c in calls if c.method == "chat.postMessage" and c.get("channel") == NOORD]
    mentioned: Counter[str] = Counter()
    for post in posts:
        mentioned.update(set(MENTION.findall(post.all_text)))
    return {
        "channel messages": len(posts),
        "at top level": sum(1 for p in posts if not p.get("thread_ts")),
        "edits": sum(1 for c in calls if c.method == "chat.update" and c.get("channel") == NOORD),
        "mentions of one member": max(mentioned.values(), default=0),
        "DMs": sum(
            1 for c in calls if c.method == "chat.postMessage" and c.get("channel") != NOORD
        ),
    }


def main() -> None:
    with fresh_database() as database, fake_slack() as fake:
        clock = FakeClock(DEC_1 - timedelta(days=30))
        # A meeting passes in seconds here, against a fake Slack without limits (as in tests).
        config = settings(fake.api_url, database.url, slack_pacing=False)
        services = create_services(config, database.db, clock, TEAM_ID)
        listeners = TrackingExecutor()  # each request returns once the bot has handled it
        with serve(create_app(services, listener_executor=listeners)) as url:
            sender = SlackSender(url, SECRET, fake, listeners.wait_idle)
            bot = Bot(sender, fake, services, clock, url.removesuffix("/slack/events"))
            setup = run_the_meeting(bot)
            fake.settle(quiet=1.0)  # what follows the closing goes in the updates' lane
        listeners.shutdown()
        services.scheduler.stop()
        counted = count([c for c in fake.calls[setup:] if not c.failed])
    print("A two-case meeting (incident, then gossip), in the group's channel:")
    for name, value in counted.items():
        before = BEFORE.get(name)
        ratio = f"   {value / before:.2f}x of {before} before" if before else ""
        print(f"  {name:24} {value:4}{ratio}")
    print(f"  (members: {', '.join((ANNA, BRAM, CHLOE, DEV))})")


if __name__ == "__main__":
    main()
