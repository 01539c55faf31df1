"""Exactly once when Slack's answers are lost: the scripted two-case meeting of
`benchmarks.meeting_noise`, once with every answer arriving and once with 20% of the calls that
took effect answered 500 all the same, while Slack lets the app read a conversation once a
minute per method, 15 messages a page (an app outside its Marketplace). Counted as members see
it: messages doubled (two with one delivery key), messages lost (members never saw one that the
run with every answer showed), the looks it took, and how late the prompts in the cases'
threads came (p50 / p99, from the bot's own metrics).

    python -m benchmarks.lost_answers
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from benchmarks.harness import SECRET, fake_slack, fresh_database, serve, settings
from benchmarks.meeting_noise import run_the_meeting
from bot.app import create_app, create_services
from bot.metrics import Metrics
from storage.models import Delivery, RunMessage
from tests.conftest import Bot, FakeClock
from tests.slackkit.executor import TrackingExecutor
from tests.slackkit.fake_slack import TEAM_ID
from tests.slackkit.sender import SlackSender
from tests.test_followup import DEC_1
from usecases.sending import DELIVERY_EVENT

LOST = 0.2


def quantile(metrics: Metrics, share: float) -> float:
    """The upper bound of the lateness bucket that holds `share` of the prompts."""
    samples = [
        s for s in metrics.prompt_lateness.collect()[0].samples if s.name.endswith("_bucket")
    ]
    total = samples[-1].value
    for sample in samples:
        if total and sample.value >= share * total:
            return float(sample.labels["le"])
    return 0.0


def in_doubt(bot: Bot) -> int:
    with bot.db() as session:
        query = select(func.count()).select_from(Delivery).where(Delivery.ts.is_(None))
        return int(session.scalar(query) or 0)


def settle(bot: Bot) -> None:
    """What goes in the updates' lane (the agenda, consent DMs, proofs) is tried again some
    seconds later, each look when Slack allows one: a minute of the script's clock passes for
    each second of waiting, until nothing is in doubt and Slack heard nothing for a while."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        bot.fake.settle(quiet=1.0)
        if not in_doubt(bot) and time.monotonic() > deadline - 75:  # lane retries: 10 s on
            return
        bot.clock.advance(timedelta(minutes=1))


def one_run(lost: float) -> tuple[dict[str, float], set[str]]:
    """The run's figures, and the delivery keys of the messages members saw."""
    with fresh_database() as database, fake_slack() as fake:
        clock = FakeClock(DEC_1 - timedelta(days=30))
        fake.clock = lambda: clock().timestamp()
        if lost:
            fake.lose_answers(lost)
        metrics = Metrics()
        config = settings(fake.api_url, database.url, slack_pacing=False)
        services = create_services(config, database.db, clock, TEAM_ID, metrics=metrics)
        listeners = TrackingExecutor()
        with serve(create_app(services, listener_executor=listeners)) as url:
            sender = SlackSender(url, SECRET, fake, listeners.wait_idle)
            bot = Bot(sender, fake, services, clock, url.removesuffix("/slack/events"))
            run_the_meeting(bot)
            settle(bot)
            doubtful = in_doubt(bot)
        listeners.shutdown()
        services.scheduler.stop()
        keys = Counter(
            str(m["metadata"]["event_payload"]["key"])
            for m in fake.posted
            if (m.get("metadata") or {}).get("event_type") == DELIVERY_EVENT
        )
        with database.db() as session:
            unsent = session.scalar(
                select(func.count(RunMessage.id)).where(RunMessage.sent_at.is_(None))
            )
        looks = [c for c in fake.calls if c.method.startswith("conversations.")]
        figures = {
            "answers lost": fake.answers_lost,
            "messages": sum(keys.values()),
            "doubled": sum(n - 1 for n in keys.values() if n > 1),
            "case messages unsent": unsent or 0,
            "still in doubt at the end": doubtful,
            "looks": len([c for c in looks if not c.failed]),
            "looks Slack refused": len([c for c in looks if c.failed]),
            "prompt lateness p50 (s)": quantile(metrics, 0.5),
            "prompt lateness p99 (s)": quantile(metrics, 0.99),
        }
        return figures, set(keys)


def main() -> None:
    (clean, seen), (lossy, seen_lossy) = one_run(0.0), one_run(LOST)
    clean["lost"], lossy["lost"] = 0, len(seen - seen_lossy)
    print("A two-case meeting; looks once a minute, 15 messages a page (outside the Marketplace)")
    print(f"  {'':26} {'all answers':>12} {f'{LOST:.0%} lost':>12}")
    for name in clean:
        print(f"  {name:26} {clean[name]:>12g} {lossy[name]:>12g}")


if __name__ == "__main__":
    main()
