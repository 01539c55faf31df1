"""Global middleware: only requests for this app are served, and every Events API delivery is
handled once, whatever Slack retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy.exc import IntegrityError

from handlers.context import services_of
from storage.events import remember_event

logger = logging.getLogger(__name__)
Middleware = Callable[..., BoltResponse | None]


def only_our_app(our_app: Callable[[], str | None]) -> Middleware:
    """With the app's id known (`our_app`: SLACK_APP_ID, or learned from Slack), a signed request
    that names another app (a signing secret shared with it, or a replay) is refused: 403, and
    nothing is done."""

    def our_app_only(
        body: dict[str, Any], next: Callable[[], BoltResponse | None]
    ) -> BoltResponse | None:
        named = body.get("api_app_id") if isinstance(body, dict) else None
        app_id = our_app() if isinstance(named, str) else None
        if app_id is not None and isinstance(named, str) and named != app_id:
            shown = named if named.isalnum() and len(named) <= 20 else "?"
            logger.warning("refused a request for another app (%s)", shown)
            return BoltResponse(status=403, body="")
        return next()

    return our_app_only


def own_installation_only(
    body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse | None]
) -> BoltResponse | None:
    """An Events API delivery acts only through the installation it was delivered to. In a
    channel shared with another organisation that installed the app too, Slack delivers each
    event to both: the other's (their bot left, their member opened their Home) must not act
    through ours, nor ours through theirs, and a workspace without the app gets no answer."""
    if body.get("type") != "event_callback":
        return next()
    delivered_to = body.get("team_id")
    acting = context.authorize_result.team_id if context.authorize_result else None
    if isinstance(delivered_to, str) and acting is not None and acting != delivered_to:
        return BoltResponse(status=200, body="")
    return next()


def skip_handled_events(
    body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse | None]
) -> BoltResponse | None:
    """Slack retries an event it got no timely 200 for (X-Slack-Retry-Num); the event id tells
    a retry from a new event, so a retry of a handled event is acknowledged and skipped."""
    event_id = body.get("event_id")
    if body.get("type") != "event_callback" or not event_id:
        return next()
    event = body.get("event")
    if isinstance(event, dict) and event.get("type") == "message":
        # Messages in the group's channels are not even counted: nothing of them is stored
        # unless a reply is a contribution, which its own ts keeps from being added twice.
        return next()
    services = services_of(context)
    try:
        with services.db.begin() as session:
            first = remember_event(session, str(event_id), services.clock())
    except IntegrityError:
        first = False
    if not first:
        logger.info("event %s was handled already; acknowledged Slack's retry", event_id)
        return BoltResponse(status=200, body="")
    return next()
