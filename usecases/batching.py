"""Handle together what falls due together: when a thousand cases change phase in the same
second, their timers fire a thousand jobs, and reading, moving on and queueing them one
transaction at a time would make the last of them wait for all the others; and send what is
independent side by side, so that one slow answer from Slack holds up no other case."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import CancelledError, ThreadPoolExecutor
from typing import Generic, TypeVar

from slack_sdk.errors import SlackApiError

from usecases.sending import retry_after

logger = logging.getLogger(__name__)
Item = TypeVar("Item", bound=Hashable)
Done = TypeVar("Done")


class Stopping(Exception):
    """Work was not done: the process is stopping (it stays due in the database)."""


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
        self._stopping = False

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
            except Stopping:
                logger.info("stopping: %s timers stay due for the next process", len(batch))
            except Exception as error:  # the timers stay due in the database
                logger.error(
                    "a batch of %s timers failed with %s; they are retried from the database "
                    "within a minute",
                    len(batch),
                    type(error).__name__,
                )

    def stop(self) -> None:
        """Take no new batch: the process is stopping. What is still due stays due in the
        database, for the next process that leads."""
        with self._lock:
            self._stopping = True
            self._due.clear()

    def _take(self) -> list[Item]:
        """The next batch; when none is left, this caller stops working in the same breath
        (so an item added meanwhile always finds a worker that takes it)."""
        with self._lock:
            if self._stopping:
                self._due.clear()
            batch, self._due = self._due[: self._size], self._due[self._size :]
            if not batch:
                self._busy -= 1
            return batch


def _SENT() -> None:
    """Stands for an update sent outside the lane (see `Updates.superseded`)."""


class Updates:
    """Cosmetic updates (a parent message's status) out of the prompts' way: sent by a few
    workers of their own, one message at a time, and for each message only the newest update
    waiting is sent (an older one it replaced is dropped). An update Slack's rate limit refused
    goes again once the limit allows, unless a newer one for its message came meanwhile."""

    def __init__(self, width: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="update")
        self._lock = threading.Lock()
        self._waiting: dict[str, Callable[[], None]] = {}
        self._newest: dict[str, Callable[[], None]] = {}  # the last update given per message
        self._sending = KeyedLocks()

    def submit(self, key: str, update: Callable[[], None]) -> None:
        with self._lock:
            queued = key in self._waiting
            self._waiting[key] = update
            self._newest[key] = update
        if not queued:
            with contextlib.suppress(RuntimeError):  # stopping: the next change shows it
                self._pool.submit(self._send, key)

    def _send(self, key: str) -> None:
        with self._sending(key):  # one at a time per message, so the newest lands last
            with self._lock:
                update = self._waiting.pop(key, None)
            if update is None:
                return
            try:
                update()
            except SlackApiError as error:
                wait = retry_after(error)
                if wait is None:
                    raise
                self.after(key, wait, update)
                return
            with self._lock:
                if self._newest.get(key) is update:
                    del self._newest[key]

    def superseded(self, key: str) -> None:
        """The message was updated another way just now: an older update waiting to go again
        (`after`) is dropped."""
        with self._lock:
            if key in self._newest:
                self._newest[key] = _SENT

    def after(self, key: str, seconds: float, update: Callable[[], None]) -> None:
        """Send `update` in `seconds` (as Slack's `Retry-After` asks), unless a newer update
        of its message is given meanwhile."""
        with self._lock:
            self._newest[key] = update
        later = threading.Timer(seconds, self._again, (key, update))
        later.daemon = True
        later.start()

    def _again(self, key: str, update: Callable[[], None]) -> None:
        with self._lock:
            if self._newest.get(key) is not update:
                return  # a newer update of the message came meanwhile; it is the one to send
        self.submit(key, update)

    def stop(self) -> None:
        """Finish the updates under way; drop those waiting."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class Fanout:
    """Independent pieces of work (each one case's sends, in their own order) side by side, at
    most `width` at once in the process, while Slack makes them wait: when Slack's recent
    answers took its real time (tens of milliseconds and more), the other cases' prompts go out
    meanwhile; when it answered at once, the work is the processor's and the pieces run one
    after the other in the caller, which is then the faster way."""

    SLOW = 0.02  # seconds: Slack answers slower than this make side by side worth it

    def __init__(self, width: int = 48) -> None:
        self._pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="send")
        self._answers: deque[float] = deque(maxlen=64)

    def observe(self, seconds: float) -> None:
        """How long Slack took to answer one call."""
        self._answers.append(seconds)

    def run(self, work: Sequence[Callable[[], Done]]) -> list[Done]:
        """Do all of `work`, and return what each gave, in order, once every piece is done (the
        first error, if any, is raised then)."""
        if len(work) < 2 or self._slack_is_quick():
            return [piece() for piece in work]
        futures = [self._pool.submit(piece) for piece in work]
        done: list[Done] = []
        first_error: Exception | None = None
        for future in futures:
            # One by one, not `wait(futures)`: a piece the stop cancelled before it began
            # never wakes `wait`, and would keep the process from exiting.
            try:
                done.append(future.result())
            except CancelledError:
                first_error = first_error or Stopping()
            except Exception as error:
                first_error = first_error or error
        if first_error is not None:
            raise first_error
        return done

    def _slack_is_quick(self) -> bool:
        answers = sorted(self._answers)
        return len(answers) >= 8 and answers[len(answers) // 2] < self.SLOW

    def stop(self) -> None:
        """Finish what was started; take nothing new."""
        self._pool.shutdown(wait=True, cancel_futures=True)
