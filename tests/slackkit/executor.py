"""Bolt runs a listener's work after it acknowledged the request; this executor lets a test
wait until that work is done: a positive sign that the bot handled what it was sent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class TrackingExecutor(ThreadPoolExecutor):
    def __init__(self) -> None:
        super().__init__(max_workers=5, thread_name_prefix="listener")
        self._busy = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with self._changed:
            self._busy += 1

        def run() -> T:
            try:
                return fn(*args, **kwargs)
            finally:
                with self._changed:
                    self._busy -= 1
                    self._changed.notify_all()

        return super().submit(run)

    def wait_idle(self, timeout: float = 20.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._busy == 0, timeout):
                raise AssertionError(f"the bot was still busy after {timeout} s")
