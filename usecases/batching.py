"""Handle together what falls due together: when a thousand cases change phase in the same
second, their timers fire a thousand jobs, and reading, moving on and queueing them one
transaction at a time would make the last of them wait for all the others."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)
Item = TypeVar("Item", bound=Hashable)


class KeyedLocks:
    """One lock per key: a message that several clicks refresh at once is read and updated by
    one of them at a time, so the update that comes last shows the latest state."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


class Coalescer(Generic[Item]):
    """The first callers (at most `workers` at once) handle what is due in batches of up to
    `size`, their own item included; a caller that finds them all busy only adds its item, which
    a busy one takes in its next batch."""

    def __init__(self, size: int = 50, workers: int = 4) -> None:
        self._size = size
        self._workers = workers
        self._lock = threading.Lock()
        self._due: list[Item] = []
        self._busy = 0

    def handle(self, item: Item, work: Callable[[list[Item]], None]) -> None:
        with self._lock:
            if item not in self._due:
                self._due.append(item)
            if self._busy >= self._workers:
                return
            self._busy += 1
        while batch := self._take():
            try:
                work(batch)
            except Exception as error:  # the timers stay due in the database
                logger.error(
                    "a batch of %s timers failed with %s; they are retried from the database "
                    "within a minute",
                    len(batch),
                    type(error).__name__,
                )

    def _take(self) -> list[Item]:
        """The next batch; when none is left, this caller stops working in the same breath
        (so an item added meanwhile always finds a worker that takes it)."""
        with self._lock:
            batch, self._due = self._due[: self._size], self._due[self._size :]
            if not batch:
                self._busy -= 1
            return batch
