"""Timers that fire together are handled together, each exactly once, a few batches at a time."""

from __future__ import annotations

import logging
import threading

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from usecases.batching import Coalescer, Fanout, Updates


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


def test_while_slack_is_slow_the_pieces_run_side_by_side() -> None:
    fanout = Fanout(width=8)
    for _ in range(8):
        fanout.observe(0.15)  # Slack's real answer time
    inside = threading.Barrier(3, timeout=5)  # only met when three pieces run at once

    assert fanout.run([lambda n=n: (inside.wait(), n)[1] for n in range(3)]) == [0, 1, 2]


def test_when_slack_answers_at_once_the_pieces_run_in_the_callers_thread_in_order() -> None:
    fanout = Fanout(width=8)
    for _ in range(8):
        fanout.observe(0.002)
    ran: list[tuple[int, str]] = []

    fanout.run([lambda n=n: ran.append((n, threading.current_thread().name)) for n in range(3)])

    assert ran == [(n, threading.current_thread().name) for n in range(3)]


def test_of_the_updates_to_one_message_waiting_only_the_newest_is_sent() -> None:
    updates = Updates(width=1)
    first_running, carry_on, newest_sent = threading.Event(), threading.Event(), threading.Event()
    sent: list[str] = []

    def slow_first() -> None:
        first_running.set()
        carry_on.wait(5)
        sent.append("first")

    updates.submit("parent:1", slow_first)
    assert first_running.wait(5)
    updates.submit("parent:1", lambda: sent.append("older"))
    updates.submit("parent:1", lambda: (sent.append("newest"), newest_sent.set()))
    carry_on.set()
    assert newest_sent.wait(5)
    updates.stop()

    assert sent == ["first", "newest"]


def test_a_stopped_coalescer_takes_no_new_batch_and_leaves_the_rest_due() -> None:
    coalescer = Coalescer(size=1, workers=1)
    handled: list[int] = []

    def work(batch: list[int]) -> None:
        handled.extend(batch)
        coalescer.stop()  # SIGTERM arrives while the first batch is at work

    coalescer.handle(1, work)
    coalescer.handle(2, work)

    assert handled == [1]


def refused_by_slacks_limit() -> SlackApiError:
    answer = {"ok": False, "error": "ratelimited"}
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="chat.update",
        req_args={},
        data=answer,
        headers={"Retry-After": "0"},
        status_code=429,
    )
    return SlackApiError("ratelimited", response)


def test_an_update_slacks_limit_refused_goes_again_once_the_limit_allows() -> None:
    updates = Updates(width=1)
    answers = iter([refused_by_slacks_limit(), None])
    landed = threading.Event()
    sent: list[str] = []

    def update() -> None:
        refusal = next(answers)
        if refusal is not None:
            raise refusal
        sent.append("status")
        landed.set()

    updates.submit("parent:1", update)

    assert landed.wait(5)
    updates.stop()
    assert sent == ["status"], "not lost, and sent once"
