"""When Slack's answer is lost: which Web API calls slack_sdk may simply repeat, and the looks
in a conversation that find a message Slack may have taken, within what Slack allows an app
outside its Marketplace (README, "When Slack's answer is lost")."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.http_retry import HttpRequest
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from usecases.batching import KeyedLocks
from usecases.sending import NeverSent

# Methods that may be called again after a doubtful answer (a 5xx, a dropped connection):
# done twice, they do what they do once. Every other method is not repeated on doubt: a post
# is looked for first (`GatedWebClient._posted_before`), and a modal's trigger works only once.
REPEATABLE = frozenset(
    {
        "auth.test",
        "chat.delete",
        "chat.getPermalink",
        "chat.update",
        "conversations.history",
        "conversations.info",
        "conversations.members",
        "conversations.open",
        "conversations.replies",
        "files.getUploadURLExternal",
        "pins.add",
        "users.info",
        "views.publish",
        "views.update",
    }
)
# Messages a look asks for at a time: what Slack gives an app outside its Marketplace.
LOOK_PAGE = 15
# Slack's clock and ours may differ a little: a look starts this much before the claim.
SKEW = timedelta(seconds=30)
# A look serves the doubtful messages of its conversation for this long.
LOOK_KEPT = 600.0


def _method(request: HttpRequest) -> str:
    return request.url.rsplit("/", 1)[-1]


def _may_repeat(request: HttpRequest, error: Exception | None) -> bool:
    """A call may go again when it never left, or when doing it twice does no harm."""
    return isinstance(error, NeverSent) or _method(request) in REPEATABLE


class RepeatableServerErrors(ServerErrorRetryHandler):
    """slack_sdk's retry of a 500 or 503, for the methods that may be done twice."""

    def _can_retry(self, **given: Any) -> bool:
        return _may_repeat(given["request"], None) and super()._can_retry(**given)


class RepeatableConnectionErrors(ConnectionErrorRetryHandler):
    """slack_sdk's retry of a lost connection: always when the request never left, else only
    for the methods that may be done twice."""

    def _can_retry(self, **given: Any) -> bool:
        return _may_repeat(given["request"], given.get("error")) and super()._can_retry(**given)


@dataclass
class Look:
    """What one look in a conversation found: the keyed messages Slack has there since
    `oldest`, and the cursor of the page still to read (None: read to the end)."""

    began: float  # time.monotonic()
    oldest: datetime | None
    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    cursor: str | None = None
    done: bool = False


class Looks:
    """The process's looks for doubtful messages, one per conversation for all of them: a look
    serves a message if it began after this process last lost track of it, and reaches back to
    its claim. With no doubt there is no look at all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._looks: dict[tuple[str, str, str | None], Look] = {}
        self._lost: dict[str, float] = {}  # key -> when this process lost track of it
        self.conversations = KeyedLocks()

    def lost_track(self, key: str) -> None:
        with self._lock:
            self._lost[key] = time.monotonic()

    def serving(self, where: tuple[str, str, str | None], key: str, since: datetime | None) -> Look:
        """The look that answers for `key`, or a new one begun now."""
        with self._lock:
            now = time.monotonic()
            for old in [w for w, look in self._looks.items() if now - look.began > LOOK_KEPT]:
                del self._looks[old]
            self._lost = {k: at for k, at in self._lost.items() if now - at <= LOOK_KEPT}
            look = self._looks.get(where)
            reaches = look is not None and (
                look.oldest is None or (since is not None and look.oldest <= since)
            )
            if look is None or not reaches or self._lost.get(key, -1.0) >= look.began:
                oldest = None if since is None else since - SKEW
                look = self._looks[where] = Look(time.monotonic(), oldest)
            return look
