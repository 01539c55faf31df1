"""Slack's rate limits, kept on our side of the wire: each workspace's calls of a method stay
within the method's tier, each channel gets about one message a second, and a `Retry-After`
holds that workspace's calls of that method alone, while every other workspace goes on.

A call that would have to wait a moment (the next free place within a second or so) waits; a
call that would have to wait longer is refused at once, without reaching Slack, as Slack itself
would refuse it (`ratelimited`): what a delivery did not send stays due in the database and is
tried again shortly, and no thread sits idle while other workspaces' prompts are due.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

# Slack's tiers: calls a minute, per method, per workspace (Slack allows bursts within them).
TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
# The tier of each Web API method the bot calls (Slack's method reference). A method not
# listed is held to tier 2's pace, the careful default.
TIER_OF = {
    "auth.test": 4,
    "chat.delete": 3,
    "chat.getPermalink": 4,
    "chat.postEphemeral": 4,
    "chat.scheduleMessage": 3,
    "chat.update": 3,
    "conversations.info": 3,
    "conversations.members": 4,
    "conversations.open": 3,
    "files.completeUploadExternal": 4,
    "files.getUploadURLExternal": 4,
    "pins.add": 2,
    "users.info": 4,
    "views.open": 4,
    "views.publish": 4,
    "views.push": 4,
    "views.update": 4,
}
DEFAULT_TIER = 2
# Reading a conversation: since 2025-05-29 Slack allows an app that is distributed but not
# approved for its Marketplace one call a minute per workspace of each of these (15 messages a
# page); the bot counts them together and keeps to one a minute.
LOOKS = frozenset({"conversations.history", "conversations.replies"})
LOOKS_PER_MINUTE = 1
# chat.postMessage has a limit of its own: about one message a second in each channel, short
# bursts allowed (here: five within any five seconds).
CHANNEL_BURST = (5, 5.0)
POST = "chat.postMessage"
# Longer than this, a call is refused at once instead of waiting for its place (seconds).
PATIENCE = 1.5
# The part of each tier the bot uses: calls reach Slack a little later than they leave, not
# always in the same order, and slack_sdk retries a call after a short Retry-After by itself;
# without room for both, Slack would count a few more calls in its minute than the bot did.
SHARE = 0.9


def windows_of(
    workspace: str,
    method: str,
    channel: str | None,
    share: float = 1.0,
    looks: int = LOOKS_PER_MINUTE,
) -> list[tuple[str, int, float]]:
    """The limits a call counts against: (what is counted, how many calls, within seconds),
    using `share` of each tier, and `looks` conversation reads a minute."""
    if method == POST:
        return [(f"{workspace} #{channel}", *CHANNEL_BURST)] if channel else []
    if method in LOOKS:
        return [(f"{workspace} looks", looks, 60.0)]
    tier = TIER_PER_MINUTE[TIER_OF.get(method, DEFAULT_TIER)]
    return [(f"{workspace} {method}", max(1, int(tier * share)), 60.0)]


@dataclass(frozen=True)
class Throttled(Exception):
    """The call would have to wait `wait` seconds for its place: it was not made."""

    method: str
    wait: float


class SlackLimits:
    """The process's account of its recent calls, by workspace, method and channel. One per
    process: every client of every workspace takes its places here."""

    def __init__(
        self,
        pacing: bool = True,
        clock: Callable[[], float] = time.monotonic,
        patience: float = PATIENCE,
        share: float = SHARE,
        looks: int = LOOKS_PER_MINUTE,
    ) -> None:
        self._pacing = pacing  # off only against a fake Slack, which has no limits to keep
        self._clock = clock
        self._patience = patience
        self._share = share  # 1.0: all of each tier (a fake Slack keeping Slack's own account)
        self._looks = looks
        self._lock = threading.Lock()
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._held: dict[tuple[str, str], float] = {}

    def take(
        self, workspace: str, method: str, channel: str | None = None, wait_at_all: bool = True
    ) -> None:
        """Take a place for a call: at once, after a short wait (unless not `wait_at_all`), or
        `Throttled`."""
        patience = self._patience if wait_at_all else 0.0
        while (wait := self.try_take(workspace, method, channel)) > 0:
            if wait > patience:
                raise Throttled(method, wait)
            time.sleep(wait)

    def try_take(self, workspace: str, method: str, channel: str | None = None) -> float:
        """Take a place for a call if one is free now (0), else how long until one is."""
        with self._lock:
            wait = self._wait(workspace, method, channel)
            if wait <= 0 and self._pacing:
                for counted, _, _ in windows_of(
                    workspace, method, channel, self._share, self._looks
                ):
                    self._calls[counted].append(self._clock())
            return max(wait, 0.0)

    def hold(self, workspace: str, method: str, seconds: float) -> None:
        """Slack answered 429 with `Retry-After: seconds`: no call of `method` in this
        workspace before then."""
        with self._lock:
            until = self._clock() + seconds
            key = (workspace, method)
            self._held[key] = max(until, self._held.get(key, until))

    def _windows(
        self, workspace: str, method: str, channel: str | None
    ) -> list[tuple[str, int, float]]:
        return windows_of(workspace, method, channel, self._share, self._looks)

    def _wait(self, workspace: str, method: str, channel: str | None) -> float:
        now = self._clock()
        waits = [self._held.get((workspace, method), now) - now]
        for counted, count, seconds in windows_of(
            workspace, method, channel, self._share, self._looks
        ):
            calls = self._calls.get(counted)
            while calls and calls[0] <= now - seconds:
                calls.popleft()
            if not calls:
                self._calls.pop(counted, None)
            elif len(calls) >= count:
                waits.append(calls[len(calls) - count] + seconds - now)
        return max(waits)
