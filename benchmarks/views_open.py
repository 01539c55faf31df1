"""2. From a slash command's arrival to the `views.open` call, with 10,000 groups and 100,000
cases in the database; and 5. the number of SQL statements each interaction runs.

    python -m benchmarks.views_open [rounds]
"""

from __future__ import annotations

import sys
import time
from typing import Any

from sqlalchemy import event

from benchmarks.harness import percentiles, running_bot
from tests.crowd import seed
from tests.slackkit.fake_slack import FakeUser
from tests.slackkit.people import ANNA, NOORD, OPEN
from tests.stories import given_group

GROUPS, CASES = 10_000, 100_000


def main(rounds: int) -> None:
    with running_bot() as bench:
        started = time.perf_counter()
        seed(bench.services.db, GROUPS, CASES)
        given_group(bench.services.db, bench.services.clock(), language="en")
        print(
            f"seeded {GROUPS:,} groups and {CASES:,} cases in {time.perf_counter() - started:.1f}s"
        )
        bench.fake.add_user(FakeUser("UB0000420", "member", "Europe/Amsterdam", "en-US"))
        statements: list[str] = []
        engine = bench.services.db.kw["bind"]

        def count(*_args: Any) -> None:
            statements.append("sql")

        event.listen(engine, "before_cursor_execute", count)
        commands = {
            "/intervisie case": "case",
            "/intervisie schedule": "schedule",
            "/intervisie setup": "setup",
        }
        print(f"{'command':<22}{'p50':>10}{'p99':>10}{'SQL per call':>14}")
        for name, text in commands.items():
            channel = NOORD if text != "setup" else OPEN
            samples = []
            for _ in range(rounds):
                before = len(bench.fake.calls_to("views.open"))
                statements.clear()
                sent = time.perf_counter()
                bench.slack.command(ANNA, channel, text)
                bench.fake.wait_for("views.open", count=before + 1)
                samples.append(time.perf_counter() - sent)
            p50, p99 = percentiles(samples)
            print(f"{name:<22}{p50:>8.1f}ms{p99:>8.1f}ms{len(statements):>14}")
        statements.clear()
        for text in ("help", "group", "meetings", "cases", "goals", "methods"):
            before = len(bench.fake.calls_to("response_url"))
            statements.clear()
            bench.slack.command(ANNA, NOORD, text)
            bench.fake.wait_for("response_url", count=before + 1)
            print(f"{'/intervisie ' + text:<22}{'':>20}{len(statements):>14}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
