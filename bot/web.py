"""HTTP mode: Bolt's endpoint at /slack/events, the pages, and what the host watches (/healthz,
/readyz, /metrics); served by `bot/front.py`.

Anyone on the internet can reach /slack/events, so a request is checked against Slack's
signature before anything reads its body, and a signed request the bot cannot read gets a quiet
400 with one warning line, never a 500 or a traceback."""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.metrics import Metrics, metrics_app, request_kind
from bot.pages import (
    PAGE_HEADERS,
    PRIVATE_PAGE_HEADERS,
    PageFacts,
    landing_page,
    privacy_page,
    verify_page,
)
from bot.proxies import Networks, client_address
from methods.verification import normalize_code
from rendering.attendance_files import Verified
from rendering.i18n import LANGUAGES, Translator, preferred_language

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

logger = logging.getLogger(__name__)

WSGIApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]
SLACK_PATH = "/slack/events"
# Slack's payloads are far smaller; a body beyond this is not read at all.
MAX_BODY = 1024 * 1024
NOINDEX = ("X-Robots-Tag", "noindex, nofollow")


def _answer(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode()]


def _body(environ: WSGIEnvironment) -> bytes | None:
    """The request body, or None when it is missing, oversized or unreadable."""
    raw = environ.get("CONTENT_LENGTH") or "0"
    if not raw.isdigit() or int(raw) > MAX_BODY:
        return None
    return bytes(environ["wsgi.input"].read(int(raw)))


def signed_by_slack(verifier: SignatureVerifier, environ: WSGIEnvironment, body: bytes) -> bool:
    timestamp = str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""))
    signature = str(environ.get("HTTP_X_SLACK_SIGNATURE", ""))
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    try:
        text = body.decode("utf-8")  # Slack only ever signs UTF-8
    except UnicodeDecodeError:
        return False
    return verifier.is_valid(body=text, timestamp=timestamp, signature=signature)


PAGES = {"/": landing_page, "/privacy": privacy_page}
VERIFY_PREFIX = "/verify/"
# Whoever looks up codes that do not exist this often within the window is told to wait: codes
# cannot be listed, and guessing one (80 random bits) this slowly is hopeless anyway.
MAX_FAILED_LOOKUPS = 10
FAILED_LOOKUP_WINDOW = 600.0  # seconds
# Each visit of "Add to Slack" stores an install state (for ten minutes): one address may start
# this many installs within the window, so anonymous visitors cannot grow the database.
MAX_INSTALL_VISITS = 20
INSTALL_WINDOW = 600.0  # seconds
ProofLookup = Callable[[str], Verified | None]
# What the OAuth paths take from a query string; anything else is dropped before Bolt reads it.
TEAM_ID = re.compile(r"T[A-Z0-9]{2,20}")
OAUTH_VALUE = re.compile(r"[A-Za-z0-9._~-]{1,512}")
OAUTH_ERROR = re.compile(r"[a-z_]{1,40}")
OAUTH_ERROR_OTHER = "unknown_error"
FOR_HOST = ("/healthz", "/readyz", "/metrics")


class Window:
    """Events per client address in a sliding window (per process), `limit` at most."""

    def __init__(
        self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.seconds = limit, seconds
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque[float]:
        events = self._events.setdefault(client, deque())
        while events and events[0] <= self._clock() - self.seconds:
            events.popleft()
        return events

    def full(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) >= self.limit

    def note(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self._clock())
            if len(self._events) > 10_000:  # never grow without bound: forget the old ones
                since = self._clock() - self.seconds
                self._events = {k: v for k, v in self._events.items() if v and v[-1] > since}


def oauth_query(path_is_install: bool, query: str) -> str:
    """The query string the OAuth flow may read: on "Add to Slack" only a Slack team id
    (`team`), on Slack's redirect its `code`, `state` and a known-shaped `error`. Everything
    else, and every value of another shape (a line break, a second `redirect_uri`...), is
    dropped, so nothing a visitor types reaches Slack's authorize address or the log."""
    given = parse_qs(query, max_num_fields=20)
    kept: dict[str, str] = {}
    if path_is_install:
        team = (given.get("team") or [""])[0]
        if TEAM_ID.fullmatch(team):
            kept["team"] = team
        return urlencode(kept)
    for name in ("code", "state"):
        value = (given.get(name) or [""])[0]
        if OAUTH_VALUE.fullmatch(value):
            kept[name] = value
    if "error" in given:
        error = given["error"][0]
        kept["error"] = error if OAUTH_ERROR.fullmatch(error) else OAUTH_ERROR_OTHER
    return urlencode(kept)


def _language(environ: WSGIEnvironment) -> Translator:
    asked = parse_qs(environ.get("QUERY_STRING", "")).get("lang", [""])[0]
    if asked not in LANGUAGES:
        asked = preferred_language(environ.get("HTTP_ACCEPT_LANGUAGE"))
    return Translator("nl" if asked == "nl" else "en")


def _verify(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    lookup: ProofLookup,
    failures: Window,
    trusted: Networks,
) -> list[bytes]:
    """`/verify/<code>`: what the proof with that code says, or "not found"."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
        return [b""]
    typed = str(environ.get("PATH_INFO", "")).removeprefix(VERIFY_PREFIX)
    client = client_address(environ, trusted)
    tr = _language(environ)
    too_many = failures.full(client)
    verified = None if too_many else lookup(typed)
    # The page links to itself in the other language: only ever with a well-formed code.
    path = VERIFY_PREFIX + (normalize_code(typed) or "")
    if verified is None and not too_many:
        failures.note(client)
    status = "200 OK" if verified else "429 Too Many Requests" if too_many else "404 Not Found"
    headers = [*PRIVATE_PAGE_HEADERS, ("Content-Language", tr.language), NOINDEX]
    if too_many:
        headers.append(("Retry-After", str(int(FAILED_LOOKUP_WINDOW))))
    start_response(status, headers)
    body = verify_page(tr, path, verified, too_many).encode()
    return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def _page(
    environ: WSGIEnvironment, start_response: StartResponse, path: str, facts: PageFacts
) -> list[bytes]:
    """A page for people, in the language asked for (`?lang=`, else the browser's)."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
        return [b""]
    tr = _language(environ)
    body = PAGES[path](tr, facts).encode()
    start_response("200 OK", [*PAGE_HEADERS, ("Content-Language", tr.language)])
    return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


@dataclass(frozen=True)
class Watch:
    """What the host looks at: whether the process leads the scheduler (/healthz says it),
    why it cannot serve (/readyz: None when it can), and its metrics (/metrics on this port
    only with `metrics_token`)."""

    leading: Callable[[], bool]
    not_ready: Callable[[], str | None]
    metrics: Metrics
    metrics_token: str | None = None


def wsgi_app(
    app: App,
    signing_secret: str,
    watch: Watch | None = None,
    facts: PageFacts | None = None,
    proofs: ProofLookup | None = None,
    trusted: Networks = (),
) -> WSGIApp:
    """`/slack/events` for Slack; `/` and `/privacy` for people (`facts`: what the pages
    state), and `/verify/<code>` for whoever checks a proof of participation (`proofs` looks
    the code up), with `/slack/install` and `/slack/oauth_redirect` when many workspaces
    install the app; and for the host (`watch`) `/healthz` (alive, and whether this process
    leads the scheduler), `/readyz` and `/metrics`. `trusted`: the reverse proxies whose
    forwarding headers name the client."""
    page_facts = facts or PageFacts(support_email=None)
    failures = Window(MAX_FAILED_LOOKUPS, FAILED_LOOKUP_WINDOW)
    slack = SlackRequestHandler(app, path=SLACK_PATH)
    verifier = SignatureVerifier(signing_secret)
    acks = watch.metrics.acks if watch is not None else None
    metrics = (
        metrics_app(watch.metrics, watch.metrics_token)
        if watch is not None and watch.metrics_token is not None
        else None
    )

    def slack_request(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", "POST only")
        body = _body(environ)
        if body is None:
            return _answer(start_response, "413 Content Too Large", "too large")
        if not signed_by_slack(verifier, environ, body):
            logger.debug("refused an unsigned request from %s", client_address(environ, trusted))
            return _answer(start_response, "401 Unauthorized", "invalid request")
        environ["wsgi.input"] = io.BytesIO(body)
        arrived = time.monotonic()
        try:
            answer = slack(environ, start_response)
        except Exception as error:  # a signed body Bolt cannot read (e.g. not a JSON object)
            logger.warning("refused a Slack request it cannot read (%s)", type(error).__name__)
            return _answer(start_response, "400 Bad Request", "unreadable request")
        if acks is not None:
            acks.labels(request_kind(body)).observe(time.monotonic() - arrived)
        return answer

    def install(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """ "Add to Slack" and Slack's redirect back: Bolt's OAuth flow, for browsers, with
        only the query it needs, and a bounded number of installs begun per address."""
        if environ.get("REQUEST_METHOD") != "GET":
            start_response("405 Method Not Allowed", [("Allow", "GET")])
            return [b""]
        starting = environ.get("PATH_INFO") == oauth_paths[0]
        if starting:
            client = client_address(environ, trusted)
            if visits.full(client):
                start_response(
                    "429 Too Many Requests",
                    [*PRIVATE_PAGE_HEADERS, ("Retry-After", str(int(INSTALL_WINDOW)))],
                )
                return [b""]
            visits.note(client)
        environ["QUERY_STRING"] = oauth_query(starting, str(environ.get("QUERY_STRING", "")))
        environ["wsgi.input"] = io.BytesIO(b"")
        environ["CONTENT_LENGTH"] = "0"
        return slack(environ, start_response)

    flow = app.oauth_flow
    oauth_paths = () if flow is None else (flow.install_path, flow.redirect_uri_path)
    visits = Window(MAX_INSTALL_VISITS, INSTALL_WINDOW)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == SLACK_PATH:
            return slack_request(environ, start_response)
        if path in oauth_paths:
            return install(environ, start_response)
        if path in PAGES:
            return _page(environ, start_response, path, page_facts)
        if proofs is not None and path.startswith(VERIFY_PREFIX):
            return _verify(environ, start_response, proofs, failures, trusted)
        if path in FOR_HOST and environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD")])
            return [b""]
        if path == "/healthz":
            leads = watch is not None and watch.leading()
            return _answer(start_response, "200 OK", "ok, leads the scheduler" if leads else "ok")
        if path == "/readyz":
            why = watch.not_ready() if watch is not None else None
            if why is not None:
                return _answer(start_response, "503 Service Unavailable", why)
            return _answer(start_response, "200 OK", "ready")
        if path == "/metrics" and metrics is not None:
            return metrics(environ, start_response)
        return _answer(start_response, "404 Not Found", "not found")

    return application


class Entrance:
    """What the port serves: 503 while the bot starts, then the bot (`open`)."""

    def __init__(self) -> None:
        self._application: WSGIApp | None = None

    def open(self, application: WSGIApp) -> None:
        self._application = application

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self._application is None:
            return _answer(start_response, "503 Service Unavailable", "starting")
        return self._application(environ, start_response)
