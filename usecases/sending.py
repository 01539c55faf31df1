"""What the Slack client the process gives must do for a send under a delivery key: mark the
message with its key (Slack message metadata), and with `check_first` look for it in its
conversation before posting it again. The use cases set the key; `bot/slack.py` reads it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from slack_sdk.errors import SlackApiError

# The error a call gets once Slack has removed the app (the process's gate is closed).
REVOKED = "app_revoked"
# The event type of the Slack message metadata every keyed message carries (its delivery key).
DELIVERY_EVENT = "intervisie_delivery"
_delivery: ContextVar[tuple[str, bool] | None] = ContextVar("delivery", default=None)
_waiting: ContextVar[bool] = ContextVar("waiting", default=True)


@contextmanager
def delivering(key: str, *, check_first: bool = False) -> Iterator[None]:
    """Every message posted inside carries `key` as Slack message metadata. With `check_first`
    (a send claimed before a crash and never recorded), a post first looks for the message in
    its conversation and answers with it when Slack has it, instead of posting it again."""
    token = _delivery.set((key, check_first))
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


def current_delivery() -> tuple[str, bool] | None:
    """The key of the send under way in this thread, and whether to look first."""
    return _delivery.get()


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
