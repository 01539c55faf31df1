"""The app factory: builds a Bolt app for the given settings, never at import time."""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse, Respond
from slack_bolt.error import BoltError, BoltUnhandledRequestError
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.config import ConfigError, Settings
from bot.install import install_flow
from bot.leadership import leadership_for
from bot.limits import SlackLimits
from bot.metrics import Metrics
from bot.scheduler import ReminderScheduler
from bot.services import services_middleware
from bot.slack import POOL_SIZE, SlackGate, Wire, make_client
from bot.workspaces import WorkspaceAuthorize, WorkspaceTokens
from handlers import actions, commands, events, shortcuts, views
from handlers.access import tell
from handlers.middleware import only_our_app, own_installation_only, skip_handled_events
from handlers.payload import BadPayload
from handlers.views.form import Submitted
from rendering.markup import unescape
from storage.installation import installed_app_id
from usecases.channels import undeliverable
from usecases.clock import Clock, utc_now
from usecases.live.state import run_timer, run_timers
from usecases.people import Directory
from usecases.sending import in_doubt, retry_after
from usecases.services import Services

logger = logging.getLogger(__name__)
# Listeners at work at once. Bolt acknowledges a request from the thread that runs its
# listener, so while every thread waits for Slack (100-300 ms a call), a new request's
# acknowledgement waits for a free one: Bolt's default of 5 made acks wait behind a handful
# of slow calls. As many as the process keeps connections to Slack.
LISTENERS = POOL_SIZE


def create_services(
    settings: Settings,
    db: sessionmaker[Session],
    clock: Clock = utc_now,
    team_id: str | None = None,
    metrics: Metrics | None = None,
) -> Services:
    """The bot's services. With one workspace they speak for it: `team_id` is its id (asked
    from Slack with `auth.test` when not given). With many, `Services.in_workspace` gives each
    workspace's own."""
    gate = SlackGate()
    metrics = metrics or Metrics()
    limits = SlackLimits(pacing=settings.slack_pacing, looks=settings.looks_per_minute)
    wire = Wire(limits, metrics=metrics)
    client = make_client(settings, gate, wire)
    many = settings.many_workspaces
    if team_id is None and not many:
        team_id = str(client.auth_test()["team_id"])
    team = team_id or ""
    scheduler = ReminderScheduler(db, clock, gate, leadership_for(db.kw["bind"].url), metrics)
    metrics.count_from(db, many)
    services = Services(
        settings=settings,
        db=db,
        client=client,
        clock=clock,
        directory=Directory(client, db, clock, team),
        scheduler=scheduler,
        gate=gate,
        undeliverable=undeliverable,
        connect=lambda team, token: make_client(settings, gate, wire, token, team),
        measures=metrics,
        team_id=team,
        tokens=WorkspaceTokens(settings, db, metrics) if many else None,
    )
    scheduler.watch_runs(lambda: run_timers(services), lambda run_id: run_timer(services, run_id))
    return services


def create_app(
    services: Services, token_checked: bool = False, listener_executor: Executor | None = None
) -> App:
    """Build the Bolt app; unless `token_checked`, the bot token is checked with `auth.test`
    against SLACK_API_URL. `listener_executor` runs the listeners (a pool of LISTENERS threads
    unless given)."""
    settings = services.settings
    try:
        app = App(
            client=services.client,
            signing_secret=settings.signing_secret or "",
            request_verification_enabled=not settings.socket_mode,
            raise_error_for_unhandled_request=True,
            token_verification_enabled=not token_checked and services.tokens is None,
            logger=logging.getLogger("slack_bolt.App"),
            listener_executor=listener_executor
            or ThreadPoolExecutor(LISTENERS, thread_name_prefix="listener"),
            **_many_workspaces(services),
        )
    except BoltError as exc:
        raise ConfigError(
            "Slack did not accept SLACK_BOT_TOKEN: copy the current Bot User OAuth Token "
            "(xoxb-...) from your Slack app's 'OAuth & Permissions' page into .env."
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"Could not reach the Slack Web API at {settings.slack_api_url}: check your network, "
            "or SLACK_API_URL in your environment or .env."
        ) from exc
    app.use(only_our_app(OurApp(services)))
    app.use(own_installation_only)
    app.use(services_middleware(services))
    app.use(skip_handled_events)
    app.error(_log_listener_error)
    for listeners in (commands, actions, views, events, shortcuts):
        listeners.register(app)
    return app


class OurApp:
    """The app's own id: SLACK_APP_ID, or what Slack said of the bot's token at start; with many
    workspaces and neither, what the installations name (looked up again at most every
    LOOK_AGAIN seconds until the first install)."""

    LOOK_AGAIN = 30.0

    def __init__(self, services: Services) -> None:
        self._services = services
        self._known = services.settings.app_id
        self._next_look = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> str | None:
        if self._known is not None or self._services.tokens is None:
            return self._known
        with self._lock:
            if self._known is None and time.monotonic() >= self._next_look:
                self._next_look = time.monotonic() + self.LOOK_AGAIN
                with self._services.db() as session:
                    self._known = installed_app_id(session)
            return self._known


def _many_workspaces(services: Services) -> dict[str, Any]:
    """With many workspaces: Bolt's OAuth flow installs the app, and each request's token is
    the cached, fresh one of its workspace."""
    if services.tokens is None:
        return {}
    return {
        "oauth_flow": install_flow(services),
        "authorize": WorkspaceAuthorize(services.tokens, services.db),
    }


def _log_listener_error(
    error: Exception, body: Any, context: BoltContext, respond: Respond | None
) -> BoltResponse:
    """One log line with ids, the error's class and where it happened: payloads and error
    messages may hold confidential case content, so neither is ever logged.

    A request the bot has no listener for, or one whose payload it cannot read, is answered
    quietly (200 or 400) with a warning; a call Slack's rate limit refused tells the person to
    try again in a moment; anything else is a failure of ours (500)."""
    kind, user = request_ids(body)
    if retry_after(error) is not None and user is not None:
        logger.warning("Slack's rate limit refused a call (kind=%s user=%s)", kind, user)
        _ask_to_try_again(context, respond, user, "form.slack_busy")
        return _not_saved(body) or BoltResponse(status=200, body="")
    if in_doubt(error) and user is not None:
        # Slack's answer was lost (a modal's trigger works once, so it is not tried again).
        logger.warning("Slack's answer to a call was lost (kind=%s user=%s)", kind, user)
        _ask_to_try_again(context, respond, user, "form.slack_unsure")
        return _not_saved(body) or BoltResponse(status=200, body="")
    if isinstance(error, BoltUnhandledRequestError):
        logger.warning("no listener for a Slack request (kind=%s user=%s)", kind, user)
        return BoltResponse(status=200, body="")
    place = _where(error)
    if isinstance(error, BadPayload | KeyError | IndexError | TypeError | AttributeError):
        logger.warning(
            "refused a Slack request it cannot read: %s at %s (kind=%s user=%s)",
            type(error).__name__,
            place,
            kind,
            user,
        )
        return BoltResponse(status=400, body="")
    logger.error(
        "listener failed: %s at %s (kind=%s user=%s)", type(error).__name__, place, kind, user
    )
    return _not_saved(body) or BoltResponse(status=500, body="")


def _ask_to_try_again(context: BoltContext, respond: Respond | None, user: str, why: str) -> None:
    """Tell whoever clicked or typed that Slack held the app back or lost its answer, so the
    click was not lost in silence (a modal's submission keeps what was typed, `_not_saved`)."""
    services = context.get("services")
    if not isinstance(services, Services):
        return
    try:
        tell(respond, services.directory.translator(user).t(why))
    except (SlackApiError, OSError):
        logger.warning("could not tell user %s to try again", user)


def _not_saved(body: Any) -> BoltResponse | None:
    """A modal whose submission failed (the database was unavailable, say) stays open with
    everything typed in it and a friendly field error, so that nothing is lost."""
    if not isinstance(body, dict) or body.get("type") != "view_submission":
        return None
    view = body.get("view")
    if not isinstance(view, dict):
        return None
    blocks = view.get("blocks") if isinstance(view.get("blocks"), list) else []
    inputs = [b["block_id"] for b in blocks if isinstance(b, dict) and b.get("type") == "input"]
    if not inputs or not isinstance(inputs[0], str):
        return None
    text = Submitted(view).translator().t("form.not_saved")
    answer = {"response_action": "errors", "errors": {inputs[0]: unescape(text)}}
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )


def request_ids(body: Any) -> tuple[str | None, str | None]:
    """The kind of request and who sent it, as far as the payload says (never its content)."""
    if not isinstance(body, dict):
        return None, None
    user = body.get("user")
    user_id = body.get("user_id") or (user.get("id") if isinstance(user, dict) else None)
    kind = body.get("type") or body.get("command")
    return (str(kind)[:40] if kind else None), (str(user_id)[:32] if user_id else None)


def _where(error: BaseException) -> str:
    """The innermost frame of our own code (file:line), which says where without any values."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    if not ours:
        return "?"
    return f"{Path(ours[-1].filename).name}:{ours[-1].lineno}"
