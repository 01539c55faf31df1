"""Timers that fire together are handled together, each exactly once, a few batches at a time."""

from __future__ import annotations

import logging
import threading

import pytest

from usecases.batching import Coalescer


def test_a_thousand_timers_firing_at_once_are_each_handled_once_in_batches() -> None:
    coalescer = Coalescer(size=50, workers=4)
    batches: list[list[int]] = []
    busy = 0
    most_busy = 0
    guard = threading.Lock()
    release = threading.Event()

    def work(batch: list[int]) -> None:
        nonlocal busy, most_busy
        with guard:
            busy += 1
            most_busy = max(most_busy, busy)
            batches.append(batch)
        release.wait(5)  # the first batches are still at work while the other timers fire
        with guard:
            busy -= 1

    threads = [threading.Thread(target=coalescer.handle, args=(item, work)) for item in range(1000)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)

    handled = [item for batch in batches for item in batch]
    assert sorted(handled) == list(range(1000)), "each once"
    assert all(len(batch) <= 50 for batch in batches)
    assert len(batches) < 100, "mostly in batches, not one by one"
    assert most_busy <= 4


def test_a_timer_alone_is_handled_before_its_job_returns() -> None:
    handled: list[list[int]] = []

    Coalescer().handle(7, handled.append)

    assert handled == [[7]]


def test_a_failing_batch_is_logged_without_content_and_the_rest_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    coalescer = Coalescer(size=1, workers=1)
    done: list[int] = []
    started = threading.Event()
    go_on = threading.Event()

    def work(batch: list[int]) -> None:
        if batch == [1]:
            started.set()
            go_on.wait(5)
            raise ValueError("a case's secret text")
        done.extend(batch)

    first = threading.Thread(target=coalescer.handle, args=(1, work))
    first.start()
    started.wait(5)
    coalescer.handle(2, work)  # all workers busy: the first one takes it next
    go_on.set()
    first.join(5)

    assert done == [2]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "ValueError" in record.getMessage()
    assert "secret" not in record.getMessage()
