"""What the Slack client the process gives must do for a send under a delivery key: mark the
message with its key (Slack message metadata), and when Slack may have it already (a `Doubt`),
look for it in its conversation before posting it again. The use cases set the key;
`bot/slack.py` reads it. And which failed calls leave that doubt."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk.errors import SlackApiError

from storage.meetings import Doubt

# The error a call gets once Slack has removed the app (the process's gate is closed).
REVOKED = "app_revoked"
# The event type of the Slack message metadata every keyed message carries (its delivery key).
DELIVERY_EVENT = "intervisie_delivery"


@dataclass(frozen=True)
class Delivering:
    """The send under way in a thread: its key, and where Slack may have it already."""

    key: str
    doubt: Doubt | None = None


_delivery: ContextVar[Delivering | None] = ContextVar("delivery", default=None)
_waiting: ContextVar[bool] = ContextVar("waiting", default=True)


@contextmanager
def delivering(key: str, doubt: Doubt | None = None) -> Iterator[None]:
    """Every message posted inside carries `key` as Slack message metadata. With a `doubt`
    (a send cut off by a crash, or whose answer was lost), a post first looks for the message
    in its conversation and answers with it when Slack has it, instead of posting it again."""
    token = _delivery.set(Delivering(key, doubt))
    try:
        yield
    finally:
        _delivery.reset(token)


@contextmanager
def without_waiting() -> Iterator[None]:
    """Calls made inside do not wait for their place within Slack's rate limits: one that
    would have to wait is refused at once, as Slack refuses it (for what can go later, in the
    updates' lane, instead of holding up the prompts sent after it)."""
    token = _waiting.set(False)
    try:
        yield
    finally:
        _waiting.reset(token)


def may_wait() -> bool:
    """Whether a call in this thread may wait a moment for its place within Slack's limits."""
    return _waiting.get()


def current_delivery() -> Delivering | None:
    """The send under way in this thread."""
    return _delivery.get()


class NeverSent(URLError):
    """The request never reached Slack (no connection was made): sending it again is safe."""


# Slack's answers that say the call may have been carried out all the same.
UNSURE = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})


def in_doubt(error: Exception) -> bool:
    """Whether Slack may have carried out the call `error` ended: a 5xx or an error Slack says
    may follow a partial success, a timeout, or a connection lost once the request was sent.
    A refusal (a 429, `channel_not_found`...) or a call that never left is no doubt."""
    if isinstance(error, SlackApiError):
        return error.response.status_code >= 500 or error.response.get("error") in UNSURE
    return isinstance(error, OSError) and not isinstance(error, NeverSent)


def retry_after(error: Exception) -> float | None:
    """Seconds to wait when `error` is Slack's (or the client's) refusal over a rate limit,
    from its `Retry-After`; None for any other error."""
    if not isinstance(error, SlackApiError) or error.response.get("error") != "ratelimited":
        return None
    return retry_after_header(error.response.headers or {})


def retry_after_header(headers: Mapping[str, Any]) -> float:
    """Seconds Slack's `Retry-After` header asks to wait (a second when it is missing or odd);
    a header's value may come as a list, as slack_sdk's retry handlers see it."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(float(value[0] if isinstance(value, list) else value), 0.0)
            except ValueError:
                break
    return 1.0
