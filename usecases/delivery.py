"""Send a message at most once: claim a unique key in the database, send, record the result.

A restart, a retry or a second process that reaches the same message finds the key taken and
sends nothing. When Slack refuses the message, the claim is released so it can be tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.orm import Session

from rendering.i18n import Translator
from storage.meetings import (
    claim_delivery,
    delivery_in_flight,
    doubt_delivery,
    orphaned_delivery,
    record_delivery,
    release_delivery,
)
from usecases.sending import REVOKED, delivering, in_doubt, retry_after
from usecases.services import Services

logger = logging.getLogger(__name__)
# How long a claimed message may take to send before a crash is assumed: a few of Slack's
# retries of 429 and 5xx answers fit within it, and a meeting is not held up much longer. It
# stays needed: another process may be sending the message right now, and only after this
# long does a claim without a result count as cut off (then Slack is asked whether it has it).
IN_FLIGHT_PATIENCE = timedelta(seconds=15)
# What Slack did not take now and no timer brings back is tried again after this long
# (seconds, unless Slack said how long), at most this many times in all.
AGAIN_IN = 10.0
TRIES = 6
# Errors that no retry will fix: the recipient or channel is gone, or the bot may not post there.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "cannot_dm_bot",
        "user_not_found",
        "account_inactive",
        "user_disabled",
        "restricted_action",
    }
)


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    IN_FLIGHT = "in_flight"
    UNDELIVERABLE = "undeliverable"
    RETRY = "retry"


def send_once(
    services: Services,
    key: str,
    send: Callable[[], SlackResponse],
    then: Callable[[Session, SlackResponse], object] | None = None,
    *,
    claimed: bool = False,
) -> Outcome:
    """Send under `key` unless it was sent before (`claimed`: this caller claimed it already,
    in a transaction of its own); `then` runs in the transaction that records the message as
    sent, with Slack's answer."""
    now = services.clock()
    doubt = None
    if not claimed:
        with services.db.begin() as session:
            if not claim_delivery(session, key, now):
                # Claimed before: sent, being sent, or left in doubt (cut off by a crash, or
                # its answer lost). Only the last is tried again, by one process, looking first.
                doubt = orphaned_delivery(session, key, now, IN_FLIGHT_PATIENCE)
                if doubt is None:
                    if delivery_in_flight(session, key, now, IN_FLIGHT_PATIENCE):
                        return Outcome.IN_FLIGHT
                    services.measures.double_avoided()
                    return Outcome.ALREADY_SENT
    try:
        with delivering(key, doubt):
            response = send()
    except (SlackApiError, OSError) as exc:
        with services.db.begin() as session:
            if doubt is not None or in_doubt(exc):
                # Slack may have it (its answer was lost, or the look for it failed): only a
                # look may send it, never a fresh claim.
                doubt_delivery(session, key, services.clock(), IN_FLIGHT_PATIENCE)
            else:
                release_delivery(session, key)
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
        if error == REVOKED:
            return Outcome.UNDELIVERABLE
        if error in PERMANENT:
            logger.warning("message %s undeliverable: %s", key, error)
            target = _target_of(exc)
            if target is not None:
                services.undeliverable(services, target, str(error))
            return Outcome.UNDELIVERABLE
        logger.warning("message %s not sent (%s); will retry", key, type(exc).__name__)
        return Outcome.RETRY
    with services.db.begin() as session:
        # Never left empty: an empty row is what a send cut off by a crash leaves behind.
        record_delivery(session, key, response.get("channel") or "", response.get("ts") or "")
        if then is not None:
            then(session, response)
    return Outcome.SENT


def noting_waits(
    send: Callable[[], SlackResponse], asked: list[float]
) -> Callable[[], SlackResponse]:
    """`send`, noting in `asked` how long Slack's rate limit asked to wait when it refused."""

    def sending() -> SlackResponse:
        try:
            return send()
        except SlackApiError as error:
            if (wait := retry_after(error)) is not None:
                asked.append(wait)
            raise

    return sending


def send_once_soon(
    services: Services,
    key: str,
    send: Callable[[], SlackResponse],
    then: Callable[[Session, SlackResponse], object] | None = None,
    tries: int = TRIES,
) -> Outcome:
    """`send_once`, and when Slack did not take the message now (over its rate limit, or a
    passing failure), again in the updates' lane after Slack's `Retry-After` (or a little
    later), a few times: for messages no timer of their own brings back."""
    asked_to_wait: list[float] = []
    outcome = send_once(services, key, noting_waits(send, asked_to_wait), then)
    if outcome is Outcome.RETRY:
        if tries > 1:
            again = partial(send_once_soon, services, key, send, then, tries - 1)
            services.updates.after(key, max(asked_to_wait, default=AGAIN_IN), again)
        else:
            logger.warning("gave up sending message %s for now", key)
    return outcome


def post_once_soon(services: Services, key: str, channel: str, message: dict[str, Any]) -> Outcome:
    """Post `message` in `channel` (a user id: their DM) once under `key`, soon if not now."""
    return send_once_soon(
        services, key, lambda: services.client.chat_postMessage(channel=channel, **message)
    )


def _target_of(exc: Exception) -> str | None:
    """The channel (or user, for a DM) of the refused request, as slack_sdk kept its arguments."""
    if not isinstance(exc, SlackApiError):
        return None
    args = getattr(exc.response, "req_args", None) or {}
    for part in ("json", "params", "data"):
        values = args.get(part)
        if isinstance(values, dict) and values.get("channel"):
            return str(values["channel"])
    return None


@dataclass(frozen=True)
class Notice:
    """A DM to one person, sent at most once under `key`."""

    key: str
    user_id: str
    message: dict[str, Any]


def to_each(
    services: Services,
    key: str,
    members: Sequence[str],
    group_language: str,
    build: Callable[[Translator], dict[str, Any]],
) -> list[Notice]:
    """The same DM to each member, each in their own language (else the group's), under
    `key:member`."""
    return [
        Notice(f"{key}:{m}", m, build(services.directory.translator(m, group_language)))
        for m in members
    ]


def send_dms(services: Services, notices: Sequence[Notice]) -> list[Outcome]:
    return [post_once_soon(services, n.key, n.user_id, n.message) for n in notices]
