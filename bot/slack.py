"""The Slack Web API client: configurable base URL, slack_sdk's own retry handlers, a gate
that stops every call once the app is uninstalled or its tokens are revoked, Slack's rate
limits kept per workspace (`bot/limits.py`), and kept-alive connections from one bounded pool
for the whole process (urllib3), instead of a new connection (and TLS handshake) per call."""

from __future__ import annotations

import io
import logging
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPMessage
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

import urllib3
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

from bot.config import ConfigError, Settings
from bot.doubt import (
    LOOK_PAGE,
    Look,
    Looks,
    RepeatableConnectionErrors,
    RepeatableServerErrors,
)
from bot.limits import PATIENCE, SlackLimits, Throttled
from bot.metrics import Metrics
from rendering.markup import escape
from storage.meetings import Doubt
from usecases.sending import (
    DELIVERY_EVENT,
    REVOKED,
    NeverSent,
    current_delivery,
    in_doubt,
    may_wait,
    retry_after_header,
)

logger = logging.getLogger(__name__)

# Web API methods whose `text` Slack shows as markup (and in notifications).
_MARKUP_TEXT = ("chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage")


class SlackGate:
    """Open while Slack lets the app act in its workspace."""

    def __init__(self) -> None:
        self._closed = threading.Event()

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()

    def open(self) -> None:
        self._closed.clear()


# Connections kept open to Slack, per host: as many as calls can be under way at once.
POOL_SIZE = 64


@dataclass
class Wire:
    """What every Slack client of the process shares: the account of Slack's rate limits, the
    pool of kept-alive connections, and the metrics of its calls."""

    limits: SlackLimits = field(default_factory=SlackLimits)
    metrics: Metrics = field(default_factory=Metrics)
    looks: Looks = field(default_factory=Looks)
    pool: urllib3.PoolManager = field(
        default_factory=lambda: urllib3.PoolManager(num_pools=4, maxsize=POOL_SIZE, block=True)
    )


class WorkspaceRateLimit(RateLimitErrorRetryHandler):
    """slack_sdk's handler for a 429, which also holds the workspace's calls of that method
    for `Retry-After`; it tries again itself only when that is a moment."""

    def __init__(self, limits: SlackLimits, workspace: str) -> None:
        super().__init__(max_retry_count=3)
        self._limits = limits
        self._workspace = workspace

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        seconds = retry_after_header(response.headers)
        self._limits.hold(self._workspace, request.url.rsplit("/", 1)[-1], seconds)
        return seconds <= PATIENCE and may_wait()


class GatedWebClient(WebClient):
    """A WebClient that refuses (without any network call) while its gate is closed, and that
    calls Slack within its rate limits over the process's kept-alive connections."""

    def __init__(self, gate: SlackGate, wire: Wire, workspace: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate
        self.wire = wire
        self.workspace = workspace

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        if self.gate.closed:
            raise SlackApiError(
                f"not calling {api_method}: the app was uninstalled",
                self._refusal(api_method, kwargs, {"ok": False, "error": REVOKED}),
            )
        if api_method in _MARKUP_TEXT:
            _escape_text(kwargs)
        metrics = self.wire.metrics
        try:
            metrics.slack_waiting.inc()
            try:
                self.wire.limits.take(
                    self.workspace, api_method, _channel_of(kwargs), wait_at_all=may_wait()
                )
            finally:
                metrics.slack_waiting.dec()
        except Throttled as throttled:
            metrics.slack_calls.labels(api_method, "ratelimited").inc()
            answer = {"ok": False, "error": "ratelimited"}
            wait = {"Retry-After": str(int(throttled.wait) + 1)}
            raise SlackApiError(
                f"not calling {api_method} yet: Slack's rate limit",
                self._refusal(api_method, kwargs, answer, 429, wait),
            ) from None
        delivery = current_delivery()
        args = kwargs.get("json")
        if api_method == "chat.postMessage" and delivery is not None and isinstance(args, dict):
            key = delivery.key
            args["metadata"] = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
            if delivery.doubt is not None:
                found = self._posted_before(args, key, delivery.doubt)
                if found is not None:
                    metrics.double_avoided()
                    return found
            try:
                return self._measured(api_method, kwargs)
            except (SlackApiError, OSError) as error:
                if in_doubt(error):
                    self.wire.looks.lost_track(key)
                raise
        return self._measured(api_method, kwargs)

    def _measured(self, api_method: str, kwargs: dict[str, Any]) -> SlackResponse:
        """The call, with how long it took and how it ended in the metrics."""
        metrics, outcome = self.wire.metrics, "error"
        asked = time.monotonic()
        metrics.slack_in_flight.inc()
        try:
            response: SlackResponse = super().api_call(api_method, **kwargs)
            outcome = "ok"
            return response
        except SlackApiError as error:
            limited = (
                error.response.status_code == 429 or error.response.get("error") == "ratelimited"
            )
            outcome = "ratelimited" if limited else "error"
            raise
        finally:
            metrics.slack_in_flight.dec()
            metrics.slack_seconds.labels(api_method).observe(time.monotonic() - asked)
            metrics.slack_calls.labels(api_method, outcome).inc()

    def _refusal(
        self,
        api_method: str,
        kwargs: dict[str, Any],
        data: dict[str, Any],
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> SlackResponse:
        """Slack's answer had the call been made: for a call this client does not make."""
        return SlackResponse(
            client=self,
            http_verb="POST",
            api_url=api_method,
            req_args=kwargs,
            data=data,
            headers=headers or {},
            status_code=status,
        )

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        """One call over a kept-alive connection of the pool, answered as urllib would."""
        if not url.lower().startswith(("http://", "https://")):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        try:
            answer = self.wire.pool.request(
                "POST",
                url,
                body=req.data,  # type: ignore[arg-type]
                headers=dict(req.header_items()),
                timeout=urllib3.Timeout(connect=5.0, read=float(self.timeout)),
                retries=False,
            )
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as e:
            raise NeverSent(e) from e  # no connection, so no request: safe to send again
        except urllib3.exceptions.HTTPError as error:
            raise URLError(error) from error
        headers = HTTPMessage()
        for name, value in answer.headers.items():
            headers[name] = value
        if answer.status >= 400:
            raise HTTPError(
                url, answer.status, answer.reason or "", headers, io.BytesIO(answer.data)
            )
        charset = headers.get_content_charset() or "utf-8"
        return {"status": answer.status, "headers": headers, "body": answer.data.decode(charset)}

    def _posted_before(self, args: dict[str, Any], key: str, doubt: Doubt) -> SlackResponse | None:
        """The message carrying `key` in the conversation `args` would post to, if Slack has
        it: a DM is looked up in the DM's history, a reply in its thread, else the channel.
        One look per conversation serves every doubtful message in it, from the earliest claim
        on, a page of LOOK_PAGE messages at a time; a look Slack's limit refuses raises, and
        nothing is posted meanwhile."""
        channel = str(args.get("channel") or "")
        if channel.startswith(("U", "W")):
            channel = str(self.conversations_open(users=channel)["channel"]["id"])
        thread = str(args["thread_ts"]) if args.get("thread_ts") else None
        where = (self.workspace, channel, thread)
        with self.wire.looks.conversations(f"{self.workspace} {channel} {thread}"):
            look = self.wire.looks.serving(where, key, doubt.since)
            while key not in look.found and not look.done:
                self._read_page(look, channel, thread)
        message = look.found.get(key)
        if message is None:
            return None
        return SlackResponse(
            client=self,
            http_verb="POST",
            api_url="chat.postMessage",
            req_args={"json": args},
            data={"ok": True, "channel": channel, "ts": message.get("ts"), "message": message},
            headers={},
            status_code=200,
        )

    def _read_page(self, look: Look, channel: str, thread: str | None) -> None:
        """The look's next page of messages, as many as Slack gives an app outside its
        Marketplace; the keyed ones are noted."""
        options: dict[str, Any] = {"include_all_metadata": True, "limit": LOOK_PAGE}
        if look.oldest is not None:
            options["oldest"] = f"{look.oldest.timestamp():.6f}"
        if look.cursor:
            options["cursor"] = look.cursor
        if thread:
            page = self.conversations_replies(channel=channel, ts=thread, **options)
        else:
            page = self.conversations_history(channel=channel, **options)
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == DELIVERY_EVENT and payload.get("key"):
                look.found[str(payload["key"])] = message
        look.cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        look.done = look.cursor is None


def _escape_text(kwargs: dict[str, Any]) -> None:
    """The notification text is markup: typed text in it is escaped unless the bot made it."""
    for container in ("json", "params", "data"):
        args = kwargs.get(container)
        if isinstance(args, dict) and isinstance(args.get("text"), str):
            args["text"] = escape(args["text"])


def _channel_of(kwargs: dict[str, Any]) -> str | None:
    for container in ("json", "params", "data"):
        args = kwargs.get(container)
        if isinstance(args, dict) and args.get("channel"):
            return str(args["channel"])
    return None


def make_client(
    settings: Settings,
    gate: SlackGate,
    wire: Wire,
    token: str | None = None,
    workspace: str = "",
) -> WebClient:
    """A client for the bot: its one token, or `token` of one of many workspaces (`workspace`,
    whose rate limits its calls count against)."""
    return GatedWebClient(
        gate,
        wire,
        workspace,
        token=token or settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            RepeatableConnectionErrors(max_retry_count=2),
            WorkspaceRateLimit(wire.limits, workspace),
            RepeatableServerErrors(max_retry_count=2),
        ],
    )


def check_tokens(settings: Settings) -> tuple[str | None, str | None]:
    """Ask Slack whether it accepts the tokens, before the bot creates anything. The one
    workspace's team id (None when the bot serves many workspaces and has no token), and the
    app's id as Slack says it of the bot (None when it cannot say)."""
    team_id = app_id = None
    try:
        if settings.bot_token is not None:
            client = WebClient(
                token=settings.bot_token, base_url=settings.slack_api_url, timeout=15
            )
            checked = client.auth_test()
            team_id = str(checked["team_id"])
            app_id = _app_of(client, checked.get("bot_id"))
        if settings.app_token:
            WebClient(
                token=settings.app_token, base_url=settings.slack_api_url, timeout=15
            ).apps_connections_open(app_token=settings.app_token)
    except SlackApiError as exc:
        name, where, kind = (
            ("SLACK_APP_TOKEN", "'Basic Information' (App-Level Tokens)", "xapp-...")
            if exc.response.api_url.endswith("apps.connections.open")
            else ("SLACK_BOT_TOKEN", "'OAuth & Permissions'", "xoxb-...")
        )
        raise ConfigError(
            f"Slack did not accept {name} ({exc.response.get('error')}): copy the current token "
            f"({kind}) from your Slack app's {where} page into .env."
        ) from None
    except OSError:
        raise ConfigError(
            f"Could not reach the Slack Web API at {settings.slack_api_url}: check your network, "
            "or SLACK_API_URL in your environment or .env."
        ) from None
    return team_id, app_id


def _app_of(client: WebClient, bot_id: object) -> str | None:
    """The app a bot belongs to (`bots.info`), to refuse requests naming another app."""
    if not isinstance(bot_id, str):
        return None
    try:
        app_id = client.bots_info(bot=bot_id)["bot"]["app_id"]
    except (SlackApiError, KeyError, TypeError):
        logger.warning("Slack did not say the app's id; set SLACK_APP_ID to refuse other apps")
        return None
    return str(app_id) if isinstance(app_id, str) and app_id else None
