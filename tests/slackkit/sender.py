"""Send the bot what Slack would send: signed slash commands, actions, submissions, events."""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.slackkit.fake_slack import TEAM_ID, FakeSlack


@dataclass
class Reply:
    """The bot's HTTP answer to one request (what Bolt's ack sent back)."""

    status: int
    body: str

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body) if self.body else {}
        return data


# How a story submits a modal: (user, view, values) -> the bot's answer.
Submit = Callable[[str, dict[str, Any], dict[str, dict[str, Any]]], Reply]


class SlackSender:
    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        fake: FakeSlack,
        idle: Callable[[], None] | None = None,
        team: str = TEAM_ID,
    ) -> None:
        """`idle` waits until the bot finished handling what it was sent; every request waits
        for it before it returns, so a story never races the bot. `team`: the workspace the
        requests come from."""
        self.app_url = app_url
        self.team = team
        self.fake = fake
        self._idle = idle
        self._secret = signing_secret
        self._signer = SignatureVerifier(signing_secret)
        self._triggers = itertools.count(1)

    def from_team(self, team: str) -> SlackSender:
        """The same Slack, sending what happens in another workspace."""
        return SlackSender(self.app_url, self._secret, self.fake, self._idle, team)

    def post(
        self,
        body: str | bytes,
        content_type: str,
        *,
        signature: str | None = None,
        at: int | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Reply:
        """A request signed as Slack signs it (or with `signature`)."""
        timestamp = str(at if at is not None else int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature
            or self._signer.generate_signature(timestamp=timestamp, body=body),
            **(extra_headers or {}),
        }
        return self.raw(body.encode() if isinstance(body, str) else body, headers)

    def raw(self, body: bytes, headers: dict[str, str]) -> Reply:
        """Exactly these bytes and headers, as anyone on the internet could send them."""
        request = urllib.request.Request(self.app_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                reply = Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, error.read().decode())
        if self._idle is not None:
            self._idle()
        return reply

    def _trigger(self) -> str:
        return f"trigger-{next(self._triggers)}"

    def command_body(self, user: str, channel: str, text: str) -> dict[str, str]:
        return {
            "token": "unused",
            "team_id": self.team,
            "channel_id": channel,
            "channel_name": self.fake.channels[channel].name
            if channel in self.fake.channels
            else "directmessage",
            "user_id": user,
            "user_name": self.fake.users[user].name if user in self.fake.users else user,
            "command": "/intervisie",
            "text": text,
            "response_url": self.fake.response_url(),
            "trigger_id": self._trigger(),
            "api_app_id": "A0INTERVISIE",
        }

    def command(self, user: str, channel: str, text: str = "", **kwargs: Any) -> Reply:
        body = urlencode(self.command_body(user, channel, text))
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def interaction(self, payload: dict[str, Any]) -> Reply:
        payload = {"team": {"id": self.team}, "api_app_id": "A0INTERVISIE", **payload}
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded")

    def click(
        self,
        user: str,
        action_id: str,
        value: str = "",
        *,
        channel: str | None = None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
    ) -> Reply:
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.team},
            "trigger_id": self._trigger(),
            "response_url": self.fake.response_url("action"),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b",
                    "value": value,
                    "action_ts": str(time.time()),
                }
            ],
        }
        if channel is not None:
            payload["channel"] = {"id": channel}
            payload["container"] = {
                "type": "message",
                "channel_id": channel,
                "message_ts": message_ts,
            }
            payload["message"] = {"ts": message_ts, "text": ""}
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id")}
        return self.interaction(payload)

    def choose(self, user: str, menu: dict[str, Any], value: str, *, channel: str) -> Reply:
        """Pick the option `value` in a select menu of a message the bot posted in `channel`."""
        options = menu.get("options") or [o for g in menu["option_groups"] for o in g["options"]]
        [chosen] = [o for o in options if o["value"] == value]
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {"id": user, "team_id": self.team},
            "trigger_id": self._trigger(),
            "response_url": self.fake.response_url("action"),
            "channel": {"id": channel},
            "container": {"type": "message", "channel_id": channel, "message_ts": "1"},
            "message": {"ts": "1", "text": ""},
            "actions": [
                {
                    "type": menu["type"],
                    "action_id": menu["action_id"],
                    "block_id": "b",
                    "selected_option": chosen,
                    "action_ts": str(time.time()),
                }
            ],
        }
        return self.interaction(payload)

    def submit(self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]) -> Reply:
        """Submit a modal the bot opened, with `values` as Slack's view.state.values. Each
        submission is of a new modal unless `view` carries the id of one submitted before."""
        view_id = view.get("id") or f"V{self._trigger().removeprefix('trigger-')}"
        submitted = {**view, "id": view_id, "state": {"values": values}}
        return self.interaction(
            {
                "type": "view_submission",
                "user": {"id": user, "team_id": self.team},
                "trigger_id": self._trigger(),
                "view": submitted,
            }
        )

    def event(self, event: dict[str, Any], event_id: str | None = None, retry: int = 0) -> Reply:
        """An Events API delivery (a new one unless `event_id` is given); `retry` > 0 sends it
        as Slack's retry number `retry`."""
        envelope = {
            "token": "unused",
            "team_id": self.team,
            "api_app_id": "A0INTERVISIE",
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._trigger()}",
            "event_time": int(time.time()),
            "event": event,
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        return self.post(json.dumps(envelope), "application/json", extra_headers=headers)
