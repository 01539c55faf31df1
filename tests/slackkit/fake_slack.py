"""A fake Slack Web API on 127.0.0.1 that records every call and answers like Slack.

Tests point the bot's WebClient at `fake.api_url`, then look at `fake.calls` to see what was
posted where. `fail_next` and `rate_limit_next` make Slack misbehave once, on request.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import random
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from bot.limits import SlackLimits
from tests.slackkit.blockkit import message_problems, view_problems

BOT_USER_ID = "UBOT"
TEAM_ID = "T0INTERVISIE"
JSON_FIELDS = ("blocks", "view", "attachments", "files")
MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")


def block_kit_problems(method: str, params: dict[str, Any]) -> list[str]:
    """What Slack would refuse in this call's blocks or view (nothing for other methods)."""
    if method in MESSAGE_METHODS:
        return message_problems(params)
    if method in VIEW_METHODS:
        return view_problems(params.get("view"))
    return []


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    return list(json.loads(blocks) if isinstance(blocks, str) else blocks)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    received_at: float = field(default_factory=time.time)
    failed: bool = False  # answered with a 429 or 500 on purpose: it had no effect

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    @property
    def all_text(self) -> str:
        """The fallback text plus every text in the blocks, for assertions on what users saw."""
        return text_of(self.params)


def text_of(node: Any) -> str:
    """Every text in a message (its fallback text and its blocks), one per line."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    texts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(node)
    return "\n".join(texts)


@dataclass
class FakeUser:
    id: str
    name: str
    tz: str = "Europe/Amsterdam"
    locale: str | None = "en-US"  # None: Slack gives none (as for many external members)
    is_bot: bool = False
    deleted: bool = False
    team_id: str = TEAM_ID  # their own workspace: another organisation's in a shared channel

    def as_slack(self) -> dict[str, Any]:
        offset = datetime.now(ZoneInfo(self.tz)).utcoffset()
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.name.title(),
            "tz": self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            **({"locale": self.locale} if self.locale else {}),
            "is_bot": self.is_bot,
            "deleted": self.deleted,
            "profile": {"real_name": self.name.title(), "display_name": self.name},
        }


@dataclass
class FakeChannel:
    id: str
    name: str
    is_private: bool = True
    members: set[str] = field(default_factory=set)

    @property
    def bot_is_member(self) -> bool:
        return BOT_USER_ID in self.members


@dataclass
class Grant:
    """A bot token Slack handed out to one workspace through OAuth."""

    team_id: str
    team_name: str
    expires_at: float | None = None  # token rotation: when Slack stops taking it
    revoked: bool = False


@dataclass
class Offer:
    """An install an admin approved in Slack's authorize page: its code works once."""

    team_id: str
    team_name: str
    user_id: str
    expires_in: int | None = None
    enterprise_id: str | None = None
    org_wide: bool = False
    used: bool = False


CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"


@dataclass
class Stall:
    method: str
    where: Callable[[dict[str, Any]], bool]
    accept: bool
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)


class _Server(ThreadingHTTPServer):
    # Slack takes as many connections as a client opens at once; the standard backlog of 5
    # would drop the rest for a second (TCP's retry), a delay real Slack does not have.
    request_queue_size = 256


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.users: dict[str, FakeUser] = {}
        self.channels: dict[str, FakeChannel] = {}
        self.uploads: dict[str, bytes] = {}
        self.unreachable: dict[str, str] = {}
        self._chaos: tuple[random.Random, float] | None = None
        self._failures: dict[str, deque[tuple[int, dict[str, Any], dict[str, str]]]] = defaultdict(
            deque
        )
        self.posted: list[dict[str, Any]] = []  # every message Slack took, as it keeps them
        # Calls Slack refused for their Block Kit (method, problems): a test fails with any.
        self.refused: list[tuple[str, list[str]]] = []
        self.grants: dict[str, Grant] = {}  # bot tokens handed out through OAuth
        self._offers: dict[str, Offer] = {}
        self._refresh_tokens: dict[str, tuple[str, bool]] = {}  # -> (bot token, used)
        self._stalls: list[Stall] = []
        # How long Slack takes to answer a Web API call (seconds), drawn per call: Slack's real
        # speed for the benchmarks. None: at once.
        self.latency: Callable[[], float] | None = None
        # Seconds between a call taking effect and its answer (0: at once).
        self.answer_after = 0.0
        self.answering = 0  # calls taken whose answer is on its way
        self.connections = 0  # HTTP connections the bot opened (kept alive, they are reused)
        self._limits: SlackLimits | None = None  # Slack's own account, once enforced
        self._held: dict[str, float] = {}  # workspace -> Retry-After ends (time.monotonic)
        self.limited: Counter[str] = Counter()  # calls refused over a rate limit, by method
        self._lock = threading.Condition()
        # Slack's clock, which dates its messages (their ts): the test's clock where it has one.
        self.clock: Callable[[], float] = time.time
        self._last_ts = 0.0
        # Calls whose answer is lost after they took effect: by method, "500" (Slack answers
        # internal_error) or "drop" (the connection closes unanswered); or a share of all.
        self._lost: dict[str, deque[str]] = defaultdict(deque)
        self._losing: tuple[random.Random, float] | None = None
        self.answers_lost = 0  # calls that took effect and whose answer was lost
        # What Slack allows an app outside its Marketplace: conversations.history and
        # .replies once a minute per workspace each, 15 messages a page (None: no limit).
        self.looks_per_minute: int | None = 1
        self.page_size = 15
        self._looked: dict[tuple[str, str], deque[float]] = defaultdict(deque)  # by self.clock
        self._ids = itertools.count(1)
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"{self.base}/respond/{name}-{next(self._ids)}"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the world ---------------------------------------------------------------------------
    def add_user(self, user: FakeUser) -> FakeUser:
        self.users[user.id] = user
        return user

    def add_channel(self, channel: FakeChannel) -> FakeChannel:
        self.channels[channel.id] = channel
        return channel

    # -- misbehaviour on request -------------------------------------------------------------
    def fail_next(self, method: str, error: str, status: int = 200) -> None:
        self._failures[method].append((status, {"ok": False, "error": error}, {}))

    def chaos(self, rate: float, seed: int = 7) -> None:
        """From now on answer about `rate` of Web API calls (auth.test aside) with a 429 or a
        500, without effect; such calls are kept apart from the ones that took effect."""
        self._chaos = (random.Random(seed), rate)

    def _chaos_answer(self, method: str) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if self._chaos is None or method == "auth.test":
            return None
        rng, rate = self._chaos
        with self._lock:
            hit, limited = rng.random() < rate, rng.random() < 0.5
        if not hit:
            return None
        if limited:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"}
        return 500, {"ok": False, "error": "internal_error"}, {}

    def enforce_limits(self) -> None:
        """From now on refuse what Slack refuses over its rate limits: a method's tier per
        workspace and minute, chat.postMessage's pace per channel, with 429 and Retry-After."""
        self._limits = SlackLimits(share=1.0)

    def hold_workspace(self, team_id: str, seconds: int, method: str | None = None) -> None:
        """Slack answers every call of this workspace (or only its calls of `method`) with 429
        and `Retry-After: seconds` for that long (an abuse limit or an incident: other
        workspaces are served)."""
        with self._lock:
            self._held[f"{team_id} {method}" if method else team_id] = time.monotonic() + seconds

    def team_of(self, token: str | None) -> str:
        grant = self.grants.get(token or "")
        return grant.team_id if grant is not None else TEAM_ID

    def _over_limit(self, method: str, params: dict[str, Any], token: str | None) -> int | None:
        """Seconds to wait when Slack would refuse this call over a rate limit; else None."""
        team = self.team_of(token)
        now = time.monotonic()
        with self._lock:
            held = max(self._held.get(team, 0.0), self._held.get(f"{team} {method}", 0.0)) - now
            if held > 0:
                self.limited[method] += 1
                return int(held) + 1
            if self._limits is None or method in ("auth.test", "oauth.v2.access"):
                return None
            wait = self._limits.try_take(team, method, params.get("channel"))
            if wait > 0:
                self.limited[method] += 1
                return int(wait) + 1
        return None

    def stall(self, method: str, where: Callable[[dict[str, Any]], bool], accept: bool) -> Stall:
        """The next matching call hangs until released: after Slack took it (`accept`; it is
        posted, but the caller never hears so) or before (it is never posted)."""
        stall = Stall(method, where, accept)
        with self._lock:
            self._stalls.append(stall)
        return stall

    def _stalled(self, method: str, params: dict[str, Any]) -> Stall | None:
        with self._lock:
            for stall in self._stalls:
                if stall.method == method and stall.where(params):
                    self._stalls.remove(stall)
                    return stall
        return None

    # -- many workspaces: OAuth -----------------------------------------------------------
    def offer_install(
        self,
        code: str,
        team_id: str,
        team_name: str,
        user_id: str,
        *,
        expires_in: int | None = None,
        org_wide: bool = False,
    ) -> None:
        """An admin of `team_id` approved the app in Slack; Slack redirects with `code`.
        With `expires_in` the workspace has token rotation: a refresh token comes along."""
        enterprise = "E0GRID" if org_wide else None
        with self._lock:
            self._offers[code] = Offer(
                team_id, team_name, user_id, expires_in, enterprise, org_wide
            )

    def tokens_of(self, team_id: str) -> list[str]:
        with self._lock:
            return [token for token, grant in self.grants.items() if grant.team_id == team_id]

    def expire(self, token: str) -> None:
        """Slack no longer takes this token (its time is up)."""
        with self._lock:
            self.grants[token].expires_at = time.time() - 1

    def _issue(self, team_id: str, team_name: str, expires_in: int | None) -> dict[str, Any]:
        number = next(self._ids)
        token = f"xoxb-{team_id}-{number}"
        grant = Grant(team_id, team_name, None if expires_in is None else time.time() + expires_in)
        self.grants[token] = grant
        answer: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        if expires_in is not None:
            refresh = f"xoxe-1-{team_id}-{number}"
            self._refresh_tokens[refresh] = (token, False)
            answer.update(refresh_token=refresh, expires_in=expires_in)
        return answer

    def _oauth_v2_access(self, params: dict[str, Any], basic: str) -> dict[str, Any]:
        """The token exchange: a code once, or a refresh token once; the app's credentials
        come as HTTP Basic auth, as slack_sdk sends them."""
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if basic != expected:
            return {"ok": False, "error": "invalid_client_id"}
        with self._lock:
            if params.get("grant_type") == "refresh_token":
                token, used = self._refresh_tokens.get(str(params.get("refresh_token")), ("", True))
                if used:
                    return {"ok": False, "error": "invalid_refresh_token"}
                self._refresh_tokens[str(params["refresh_token"])] = (token, True)
                old = self.grants[token]
                return {"ok": True, **self._issue(old.team_id, old.team_name, 43_200)}
            offer = self._offers.get(str(params.get("code")))
            if offer is None or offer.used:
                return {"ok": False, "error": "invalid_code"}
            offer.used = True
            issued = self._issue(offer.team_id, offer.team_name, offer.expires_in)
        return {
            "ok": True,
            "app_id": "A0INTERVISIE",
            "scope": str(params.get("scope") or "commands,chat:write"),
            "bot_user_id": BOT_USER_ID,
            "team": None if offer.org_wide else {"id": offer.team_id, "name": offer.team_name},
            "enterprise": {"id": offer.enterprise_id, "name": "Grid"}
            if offer.enterprise_id
            else None,
            "is_enterprise_install": offer.org_wide,
            "authed_user": {"id": offer.user_id},
            **issued,
        }

    def _refused_token(self, token: str) -> str | None:
        """Why Slack would not take a token it handed out through OAuth, if it would not."""
        with self._lock:
            grant = self.grants.get(token)
        if grant is None:
            return None
        if grant.revoked:
            return "token_revoked"
        if grant.expires_at is not None and grant.expires_at <= time.time():
            return "token_expired"
        return None

    def cannot_reach(self, user_id: str, error: str = "account_inactive") -> None:
        """DMs to this person fail the way Slack answers for a deactivated account."""
        self.unreachable[user_id] = error

    def lose_answer(self, method: str, how: str = "500", times: int = 1) -> None:
        """The next call(s) of `method` take effect, and then their answer is lost: Slack
        answers 500 internal_error ("500"), or the connection closes unanswered ("drop")."""
        self._lost[method].extend([how] * times)

    def lose_answers(self, rate: float, seed: int = 7) -> None:
        """From now on about `rate` of the calls that took effect answer 500 all the same."""
        self._losing = (random.Random(seed), rate)

    def _answer_lost(self, method: str) -> str | None:
        with self._lock:
            how = None
            if self._lost.get(method):
                how = self._lost[method].popleft()
            elif self._losing is not None and method != "auth.test":
                rng, rate = self._losing
                how = "500" if rng.random() < rate else None
            self.answers_lost += how is not None
            return how

    def _next_ts(self) -> str:
        """A new message's ts: Slack's clock, and unique."""
        with self._lock:
            self._last_ts = max(self.clock(), self._last_ts + 0.000001)
            return f"{self._last_ts:.6f}"

    def _look_refused(self, method: str, token: str | None) -> int | None:
        """Seconds until this workspace may read a conversation again, if it may not now."""
        if self.looks_per_minute is None or method not in (
            "conversations.history",
            "conversations.replies",
        ):
            return None
        with self._lock:
            looked = self._looked[(str(token), method)]
            now = self.clock()  # Slack's minute passes as the story's time does
            while looked and looked[0] <= now - 60:
                looked.popleft()
            if len(looked) >= self.looks_per_minute:
                return int(looked[0] + 60 - now) + 1
            looked.append(now)
        return None

    def _page(self, messages: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        """One page of a conversation's messages after `oldest`, from `cursor` on."""
        oldest = float(params.get("oldest") or 0)
        after = [m for m in messages if float(m["ts"]) > oldest]
        size = min(int(params.get("limit") or 100), self.page_size)
        start = int(params.get("cursor") or 0)
        more = start + size < len(after)
        return {
            "ok": True,
            "messages": after[start : start + size],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + size) if more else ""},
        }

    def rate_limit_next(self, method: str, retry_after: int = 1) -> None:
        self._failures[method].append(
            (429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)})
        )

    # -- what happened -----------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method and not call.failed]

    def wait_for(
        self,
        method: str,
        where: Callable[[Call], bool] = lambda _call: True,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Wait until `count` calls to `method` matching `where` arrived; return them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method and not c.failed and where(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(
                        f"expected {count} call(s) to {method}, got {len(found)}; calls: {seen}"
                    )
                self._lock.wait(remaining)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no call arrived for `quiet` seconds (to assert that nothing more happens)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.calls)
            time.sleep(quiet)
            if len(self.calls) == before:
                return

    def showing(self, channel: str) -> list[dict[str, Any]]:
        """The channel's messages at top level as members see them now, edits included."""
        with self._lock:
            return [dict(m) for m in self.posted if m["channel"] == channel and not m["thread_ts"]]

    def messages_in(self, channel: str) -> list[Call]:
        return [c for c in self.calls_to("chat.postMessage") if c.get("channel") == channel]

    # -- the API -----------------------------------------------------------------------------
    def _refuse(self, method: str, params: dict[str, Any]) -> list[str]:
        """Slack's Block Kit rules: what it would refuse in this call, noted for the test."""
        problems = block_kit_problems(method, params)
        if problems:
            with self._lock:
                self.refused.append((method, problems))
        return problems

    def _record(
        self, method: str, params: dict[str, Any], token: str | None, failed: bool = False
    ) -> Call:
        call = Call(method, params, token, failed=failed)
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()
        return call

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        result: dict[str, Any] = handler(params)
        return result

    def _channel_for_post(self, channel_id: str) -> dict[str, Any] | None:
        if channel_id.startswith("D"):
            error = self.unreachable.get("U" + channel_id[1:])
            return {"ok": False, "error": error} if error else None
        channel = self.channels.get(channel_id)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.bot_is_member:
            return {"ok": False, "error": "not_in_channel"}
        return None

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        grant = self.grants.get(str(params.get("_token")))
        return {
            "ok": True,
            "url": "https://intervisie.example/",
            "team": grant.team_name if grant else "Intervisie",
            "user": "intervisie",
            "team_id": grant.team_id if grant else TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": "BBOT",
        }

    def _api_bots_info(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("bot") != "BBOT":
            return {"ok": False, "error": "bot_not_found"}
        return {"ok": True, "bot": {"id": "BBOT", "app_id": "A0INTERVISIE", "name": "intervisie"}}

    def _api_auth_revoke(self, params: dict[str, Any]) -> dict[str, Any]:
        token = str(params.get("_token"))
        with self._lock:
            if token in self.grants:
                self.grants[token].revoked = True
        return {"ok": True, "revoked": True}

    def _api_apps_connections_open(self, _params: dict[str, Any]) -> dict[str, Any]:
        """Socket Mode: hand out a WebSocket URL nobody listens on (no Socket Mode server here)."""
        return {"ok": True, "url": "ws://127.0.0.1:9/link"}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if channel.startswith("U"):
            channel = "D" + channel[1:]
        problem = self._channel_for_post(channel)
        if problem:
            return problem
        ts = self._next_ts()
        metadata = params.get("metadata")
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": "BBOT",
            "text": params.get("text"),
            "blocks": _blocks(params),
            "ts": ts,
            "thread_ts": params.get("thread_ts"),
            "metadata": json.loads(metadata) if isinstance(metadata, str) else metadata,
        }
        with self._lock:
            self.posted.append({"channel": channel, **message})
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": params.get("text")}}

    def _kept(self, channel: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """A conversation's messages as Slack returns them (metadata only when asked)."""
        with_metadata = str(params.get("include_all_metadata")).lower() in ("true", "1")
        with self._lock:
            found = [dict(m) for m in self.posted if m["channel"] == channel]
        for message in found:
            del message["channel"]
            if not with_metadata or not message["metadata"]:
                message.pop("metadata")
        return found

    def _api_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        thread = str(params.get("ts", ""))
        messages = [
            m
            for m in self._kept(str(params.get("channel", "")), params)
            if m["ts"] == thread or m["thread_ts"] == thread
        ]
        return self._page(messages, params)  # oldest first

    def _api_conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        messages = [
            m for m in self._kept(str(params.get("channel", "")), params) if not m["thread_ts"]
        ]
        return self._page(messages[::-1], params)  # newest first

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        problem = self._channel_for_post(str(params.get("channel", "")))
        return problem or {"ok": True, "message_ts": self._next_ts()}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        with self._lock:
            kept = [m for m in self.posted if m["channel"] == channel and m["ts"] == ts]
            if not kept:
                return {"ok": False, "error": "message_not_found"}
            kept[0].update(text=params.get("text"), blocks=_blocks(params))
        return {"ok": True, "channel": channel, "ts": ts}

    def _api_chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts")}

    def _view(self, params: dict[str, Any]) -> dict[str, Any]:
        view = dict(params.get("view") or {})
        view.setdefault("id", f"V{next(self._ids):06d}")
        return {"ok": True, "view": view}

    _api_views_open = _view
    _api_views_push = _view
    _api_views_update = _view
    _api_views_publish = _view

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user.as_slack()}

    def _api_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {
            "ok": True,
            "channel": {
                "id": channel.id,
                "name": channel.name,
                "is_private": channel.is_private,
                "is_member": channel.bot_is_member,
            },
        }

    def _api_conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if not channel.bot_is_member and channel.is_private:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "members": sorted(channel.members), "response_metadata": {}}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", ""))
        if users not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": "D" + users[1:]}}

    def _api_chat_getPermalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel"), str(params.get("message_ts", ""))
        link = f"https://intervisie.example/archives/{channel}/p{ts.replace('.', '')}"
        return {"ok": True, "channel": channel, "permalink": link}

    def _api_pins_add(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._channel_for_post(str(params.get("channel", ""))) or {"ok": True}

    def _api_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):06d}"
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel_id")
        if channel:
            problem = self._channel_for_post(str(channel))
            if problem:
                return problem
        files = params.get("files") or []
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    # -- HTTP --------------------------------------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # connections kept alive, as Slack's are
            # An answer's headers and body leave at once: with Nagle's algorithm, the body
            # would wait for the caller's delayed ACK of the headers (40 ms on Linux) on every
            # call over a kept-alive connection, a delay Slack does not have.
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with fake._lock:
                    fake.connections += 1

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _params(self, raw: bytes) -> dict[str, Any]:
                if not raw:
                    params: dict[str, Any] = {}
                elif "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw)
                else:
                    params = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
                query = parse_qs(urlparse(self.path).query)
                params.update({k: v[-1] for k, v in query.items()})
                for name in JSON_FIELDS:
                    if isinstance(params.get(name), str):
                        params[name] = json.loads(params[name])
                return params

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the caller died mid-request: Slack never sees it
                    self.close_connection = True
                    return
                path = urlparse(self.path).path
                if path.startswith("/upload/"):
                    fake.uploads[path.rsplit("/", 1)[1]] = raw
                    fake._record("file.upload", {"file_id": path.rsplit("/", 1)[1]}, None)
                    self._send(200, {"ok": True}, {})
                    return
                if path.startswith("/respond/"):
                    params = {"url": path, **json.loads(raw or b"{}")}
                    problems = fake._refuse("response_url", params)
                    fake._record("response_url", params, None, failed=bool(problems))
                    if problems:
                        self._send(400, {"ok": False, "error": "invalid_blocks"}, {})
                    else:
                        self._send(200, {"ok": True}, {})
                    return
                method = path.removeprefix("/api/")
                if fake.latency is not None:
                    time.sleep(fake.latency())
                auth = self.headers.get("Authorization", "")
                params = self._params(raw)
                if method == "oauth.v2.access":
                    fake._record(method, params, None)
                    self._send(200, fake._oauth_v2_access(params, auth.removeprefix("Basic ")), {})
                    return
                token = auth.removeprefix("Bearer ") or None
                token = token or params.pop("token", None)
                chaos = fake._chaos_answer(method)
                wait = None if chaos else fake._over_limit(method, params, token)
                if chaos is None and wait is None:
                    wait = fake._look_refused(method, token)
                if wait is not None:
                    chaos = 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
                problems = [] if chaos else fake._refuse(method, params)
                fake._record(method, params, token, failed=chaos is not None or bool(problems))
                if chaos is not None:
                    self._send(*chaos)
                    return
                if problems:
                    error = "invalid_arguments" if method in VIEW_METHODS else "invalid_blocks"
                    answer = {"ok": False, "error": error, "errors": problems}
                    self._send(200, {**answer, "response_metadata": {"messages": problems}}, {})
                    return
                failures = fake._failures.get(method)
                if failures:
                    self._send(*failures.popleft())
                    return
                if not token or not token.startswith(("xoxb-", "xapp-")):
                    self._send(200, {"ok": False, "error": "invalid_auth"}, {})
                    return
                refused = fake._refused_token(token)
                if refused:
                    self._send(200, {"ok": False, "error": refused}, {})
                    return
                params = {**params, "_token": token}  # for the answer; the call keeps its own
                stall = fake._stalled(method, params)
                if stall is None:
                    answer = fake._answer(method, params)
                    lost = fake._answer_lost(method) if answer.get("ok") else None
                    if lost == "drop":  # taken, and the connection closes unanswered
                        self.close_connection = True
                        return
                    if lost == "500":  # taken, and Slack says it failed
                        answer = {"ok": False, "error": "internal_error"}
                        with contextlib.suppress(OSError):
                            self._send(500, answer, {})
                        return
                    if fake.answer_after:  # taken; the caller waits to hear so
                        with fake._lock:
                            fake.answering += 1
                        time.sleep(fake.answer_after)
                        with fake._lock:
                            fake.answering -= 1
                    with contextlib.suppress(OSError):  # the caller may be gone meanwhile
                        self._send(200, answer, {})
                    return
                answer = fake._answer(method, params) if stall.accept else None
                stall.reached.set()
                stall.released.wait(60)
                with contextlib.suppress(OSError):  # the caller is gone
                    self._send(200, answer or {"ok": False, "error": "fatal_error"}, {})

        return Handler
