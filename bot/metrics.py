"""What a host sees: the process's metrics in Prometheus's text format (prometheus-client), at
`/metrics` on the HTTP port with METRICS_TOKEN, and on METRICS_PORT.

No label holds content, a person's id or a team id: labels are the kind of a Slack request,
a Web API method, an outcome. Counts of workspaces, groups and running cases are read from the
database at most every COUNTS_EVERY seconds, so a scrape costs the same with 10,000 groups."""

from __future__ import annotations

import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from storage.counts import Totals, totals

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

logger = logging.getLogger(__name__)

COUNTS_EVERY = 30.0  # seconds a count of workspaces, groups and running cases is reused
# Slack wants an answer within 3 s; what matters lies well below.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0)
CALL_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 15.0)
LATENESS_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)
# The kinds of Slack request, from the payload's `type`.
PAYLOAD_KINDS = {
    "block_actions": "action",
    "interactive_message": "action",
    "view_submission": "view",
    "view_closed": "view",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "block_suggestion": "options",
}


class Metrics:
    """The process's metrics, in a registry of their own."""

    def __init__(self, counts_every: float = COUNTS_EVERY) -> None:
        self.counts_every = counts_every
        self.registry = CollectorRegistry()
        r = self.registry
        self.acks = Histogram(
            "intervisie_ack_seconds",
            "Time from a Slack request's arrival to the bot's acknowledgement",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.slack_seconds = Histogram(
            "intervisie_slack_call_seconds",
            "Time a Slack Web API call took, retries included",
            ["method"],
            buckets=CALL_BUCKETS,
            registry=r,
        )
        self.slack_calls = Counter(
            "intervisie_slack_calls",
            "Slack Web API calls by outcome: ok, ratelimited (by Slack, or held back to stay "
            "within its limits), error",
            ["method", "outcome"],
            registry=r,
        )
        self.slack_in_flight = Gauge(
            "intervisie_slack_calls_in_flight", "Slack Web API calls under way", registry=r
        )
        self.slack_waiting = Gauge(
            "intervisie_slack_calls_waiting",
            "Slack Web API calls waiting for their place within Slack's rate limits",
            registry=r,
        )
        self.prompt_lateness = Histogram(
            "intervisie_prompt_lateness_seconds",
            "How long after its moment a prompt in a live case's thread reached Slack",
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.prompts = Counter(
            "intervisie_prompts_sent", "Prompts in live cases' threads Slack took", registry=r
        )
        self.doubles_avoided = Counter(
            "intervisie_doubled_sends_avoided",
            "Messages not sent again because Slack already had them (found after a crash or a "
            "lost answer)",
            registry=r,
        )
        self.leading = Gauge(
            "intervisie_scheduler_leading", "1 when this process runs the scheduler", registry=r
        )
        self.timers = Gauge(
            "intervisie_scheduler_timers", "Timers this process's scheduler holds", registry=r
        )
        self.reconciles = Counter(
            "intervisie_scheduler_reconciles",
            "Times the scheduler set its timers from the database",
            registry=r,
        )
        self.takeovers = Counter(
            "intervisie_scheduler_takeovers",
            "Times this process took the scheduler's lead",
            registry=r,
        )
        self.token_refreshes = Counter(
            "intervisie_token_refreshes",
            "Rotating bot tokens refreshed, by outcome (ok, failed)",
            ["outcome"],
            registry=r,
        )
        self.uninstalls = Counter(
            "intervisie_uninstalls",
            "Workspaces that removed the app or revoked its token",
            registry=r,
        )
        for outcome in ("ok", "failed"):
            self.token_refreshes.labels(outcome)

    def count_from(self, db: sessionmaker[Session], many_workspaces: bool) -> None:
        """Report the workspaces, groups and running cases `db` holds."""
        self.registry.register(_Totals(db, many_workspaces, self.counts_every))

    def watch_scheduler(self, leading: Callable[[], bool], timers: Callable[[], int]) -> None:
        self.leading.set_function(lambda: 1.0 if leading() else 0.0)
        self.timers.set_function(lambda: float(timers()))

    # The use cases' measures (usecases.services.Measures).

    def prompt_sent(self, late: float) -> None:
        self.prompts.inc()
        self.prompt_lateness.observe(max(late, 0.0))

    def double_avoided(self) -> None:
        self.doubles_avoided.inc()

    def uninstalled(self) -> None:
        self.uninstalls.inc()


class _Totals(Collector):
    """The database's counts, read again at most every `every` seconds."""

    def __init__(self, db: sessionmaker[Session], many_workspaces: bool, every: float) -> None:
        self._db = db
        self._many = many_workspaces
        self._every = every
        self._lock = threading.Lock()
        self._read: tuple[float, Totals] | None = None

    def _totals(self) -> Totals | None:
        with self._lock:
            now = time.monotonic()
            if self._read is None or now - self._read[0] >= self._every:
                try:
                    with self._db() as session:
                        self._read = (now, totals(session, self._many))
                except Exception:
                    logger.warning("could not count the workspaces, groups and cases for metrics")
                    return None if self._read is None else self._read[1]
            return self._read[1]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        read = self._totals()
        if read is None:
            return
        for name, value, what in (
            ("workspaces", read.workspaces, "Workspaces the app is installed in"),
            ("groups", read.groups, "Intervisie groups"),
            ("running_cases", read.running_cases, "Cases under way"),
        ):
            yield GaugeMetricFamily(f"intervisie_{name}", what, value=value)


def request_kind(body: bytes) -> str:
    """command, action, view, shortcut, options or event: what a signed Slack request is."""
    if body.startswith(b"{"):
        return "event"
    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=50)
    if "command" in form:
        return "command"
    try:
        payload = json.loads(form.get("payload", ["{}"])[0])
    except ValueError:
        return "other"
    kind = payload.get("type") if isinstance(payload, dict) else None
    return PAYLOAD_KINDS.get(kind, "other") if isinstance(kind, str) else "other"


def metrics_app(metrics: Metrics, token: str | None) -> WSGIApplication:
    """prometheus-client's exposition; with `token`, only for `Authorization: Bearer <token>`."""
    exposition = make_wsgi_app(metrics.registry)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if token is not None:
            given = str(environ.get("HTTP_AUTHORIZATION", ""))
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                start_response(
                    "401 Unauthorized",
                    [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")],
                )
                return [b"a bearer token is required"]
        return exposition(environ, start_response)

    return application


class _Quiet(WSGIRequestHandler):
    timeout = 5  # seconds: a client that sends nothing holds no thread longer

    def log_message(self, format: str, *args: object) -> None:
        """Scrapes are not news."""


class _Threads(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve_metrics(metrics: Metrics, port: int, token: str | None) -> WSGIServer:
    """METRICS_PORT: on every address with a token, else on 127.0.0.1 alone."""
    host = "0.0.0.0" if token else "127.0.0.1"
    only_metrics = metrics_app(metrics, token)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        return only_metrics(environ, start_response)

    server = make_server(host, port, application, _Threads, _Quiet)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
