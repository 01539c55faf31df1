"""The Slack Web API client: configurable base URL, slack_sdk's own retry handlers, and a gate
that stops every call once the app is uninstalled or its tokens are revoked."""

from __future__ import annotations

import threading
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

from bot.config import ConfigError, Settings
from rendering.markup import escape
from usecases.sending import DELIVERY_EVENT, REVOKED, current_delivery

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


class GatedWebClient(WebClient):
    """A WebClient that refuses (without any network call) while its gate is closed."""

    def __init__(self, gate: SlackGate, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:  # type: ignore[override]
        if self.gate.closed:
            refused = SlackResponse(
                client=self,
                http_verb="POST",
                api_url=api_method,
                req_args=kwargs,
                data={"ok": False, "error": REVOKED},
                headers={},
                status_code=200,
            )
            raise SlackApiError(f"not calling {api_method}: the app was uninstalled", refused)
        if api_method in _MARKUP_TEXT:
            _escape_text(kwargs)
        delivery = current_delivery()
        args = kwargs.get("json")
        if api_method == "chat.postMessage" and delivery is not None and isinstance(args, dict):
            key, check_first = delivery
            args["metadata"] = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
            found = self._posted_before(args, key) if check_first else None
            if found is not None:
                return found
        response: SlackResponse = super().api_call(api_method, **kwargs)
        return response

    def _posted_before(self, args: dict[str, Any], key: str) -> SlackResponse | None:
        """The message carrying `key` in the conversation `args` would post to, if Slack has
        it: a DM is looked up in the DM's history, a reply in its thread, else the channel."""
        channel = str(args.get("channel") or "")
        if channel.startswith(("U", "W")):
            channel = str(self.conversations_open(users=channel)["channel"]["id"])
        thread = args.get("thread_ts")
        if thread:
            page = self.conversations_replies(
                channel=channel, ts=str(thread), include_all_metadata=True, limit=200
            )
        else:
            page = self.conversations_history(channel=channel, include_all_metadata=True, limit=100)
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == DELIVERY_EVENT and payload.get("key") == key:
                data = {"ok": True, "channel": channel, "ts": message.get("ts"), "message": message}
                return SlackResponse(
                    client=self,
                    http_verb="POST",
                    api_url="chat.postMessage",
                    req_args={"json": args},
                    data=data,
                    headers={},
                    status_code=200,
                )
        return None


def _escape_text(kwargs: dict[str, Any]) -> None:
    """The notification text is markup: typed text in it is escaped unless the bot made it."""
    for container in ("json", "params", "data"):
        args = kwargs.get(container)
        if isinstance(args, dict) and isinstance(args.get("text"), str):
            args["text"] = escape(args["text"])


def make_client(settings: Settings, gate: SlackGate, token: str | None = None) -> WebClient:
    """A client for the bot: its one token, or `token` of one of many workspaces."""
    return GatedWebClient(
        gate,
        token=token or settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def check_tokens(settings: Settings) -> str | None:
    """Ask Slack whether it accepts the tokens, before the bot creates anything. The one
    workspace's team id (None when the bot serves many workspaces and has no token)."""
    team_id = None
    try:
        if settings.bot_token is not None:
            client = WebClient(
                token=settings.bot_token, base_url=settings.slack_api_url, timeout=15
            )
            team_id = str(client.auth_test()["team_id"])
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
    return team_id
