"""What a scrape of /metrics costs with 10,000 groups, each with a running case whose timer the
leading scheduler holds: the exposition alone (prometheus-client's `generate_latest`), most
scrapes reusing the counts of workspaces, groups and running cases (read at most every 30 s),
and a scrape that reads them again (three COUNT queries).

    python -m benchmarks.metrics [groups]
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \
        python -m benchmarks.metrics
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta

from prometheus_client import generate_latest

from benchmarks.harness import fake_slack, fresh_database, percentiles, settings
from bot import jobs
from bot.app import create_services
from bot.metrics import COUNTS_EVERY, Metrics
from tests.crowd import running_cases
from usecases.clock import utc_now


def main(groups: int) -> None:
    with fake_slack() as fake, fresh_database() as database:
        # The cases' next moments lie a day ahead: no timer fires while the scrapes run.
        running_cases(fake, database.db, groups, utc_now() + timedelta(days=1), 0)
        metrics = Metrics()
        options = {"encryption_keys": (database.key,)}
        services = create_services(
            settings(fake.api_url, database.url, **options), database.db, metrics=metrics
        )
        jobs.install(services)
        services.scheduler.start()
        deadline = time.monotonic() + 120
        while services.scheduler.timers_held() < groups and time.monotonic() < deadline:
            time.sleep(0.1)
        held = services.scheduler.timers_held()
        try:
            first = time.perf_counter()
            text = generate_latest(metrics.registry)
            recount = time.perf_counter() - first
            cached = []
            for _ in range(1000):
                began = time.perf_counter()
                generate_latest(metrics.registry)
                cached.append(time.perf_counter() - began)
            counting = Metrics(counts_every=0)  # counts again at every scrape
            counting.count_from(database.db, many_workspaces=False)
            recounts = []
            for _ in range(50):
                began = time.perf_counter()
                generate_latest(counting.registry)
                recounts.append(time.perf_counter() - began)
        finally:
            services.scheduler.stop()
        p50, p99 = percentiles(cached)
        r50, r99 = percentiles(recounts)
        backend = database.url.split(":", 1)[0]
        print(f"/metrics with {groups:,} groups and running cases, {backend}")
        print(f"  timers the scheduler held: {held:,}; exposition: {len(text):,} bytes")
        print(f"  scrape, counts reused (every scrape within {COUNTS_EVERY:.0f} s):")
        print(f"    p50 {p50:.2f} ms, p99 {p99:.2f} ms")
        print(f"  scrape that counts again: p50 {r50:.2f} ms, p99 {r99:.2f} ms")
        print(f"  first scrape (counts, cold): {recount * 1000:.2f} ms")
        print(f"  counting again costs {r50 / p50:.1f}x a scrape that reuses the counts")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
