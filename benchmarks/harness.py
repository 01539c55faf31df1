"""What every benchmark needs: the fake Slack, a migrated database, and the bot served over real
HTTP on loopback, exactly as the tests run it."""

from __future__ import annotations

import math
import os
import random
import statistics
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.fernet import Fernet
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import MetaData
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app, create_services
from bot.config import Settings
from bot.web import wsgi_app
from storage.crypto import Cipher
from storage.db import make_engine, make_session_factory
from storage.migrate import prepare_database
from tests.processes import start_bot_process
from tests.slackkit.fake_slack import FakeSlack
from tests.slackkit.people import populate
from tests.slackkit.sender import SlackSender
from usecases.clock import utc_now
from usecases.services import Services

SECRET = "bench-secret"


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log."""


@dataclass
class Bench:
    fake: FakeSlack
    services: Services
    slack: SlackSender


def settings(api_url: str, database_url: str, **extra: object) -> Settings:
    """The bot's settings for a benchmark, calling the fake Slack at `api_url`."""
    values: dict[str, object] = {
        "bot_token": "xoxb-bench",
        "signing_secret": SECRET,
        "app_token": None,
        "port": 0,
        "database_url": database_url,
        "slack_api_url": api_url,
        "log_level": "WARNING",
        "run_scheduler": False,
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


@contextmanager
def serve(app: App, *, bare: bool = False) -> Iterator[str]:
    """Serve `app` as the bot serves it, or (`bare`) through Bolt's own WSGI adapter only."""
    handler = SlackRequestHandler(app) if bare else wsgi_app(app, SECRET)
    server = make_server("127.0.0.1", 0, handler, server_class=_Server, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Database:
    url: str
    key: str  # the encryption key its confidential columns are written with
    db: sessionmaker[Session]


@contextmanager
def fresh_database() -> Iterator[Database]:
    """A migrated, empty database: BENCH_DATABASE_URL, or a temporary SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        key = Fernet.generate_key().decode()
        engine = make_engine(url, Cipher([key]))
        if os.environ.get("BENCH_DATABASE_URL"):
            metadata = MetaData()
            metadata.reflect(engine)
            metadata.drop_all(engine)
        prepare_database(engine)
        try:
            yield Database(url, key, make_session_factory(engine))
        finally:
            engine.dispose()


def slack_latency(spec: str) -> Callable[[], float] | None:
    """How long the fake Slack takes per Web API call, from `SLACK_LATENCY`: "150" (ms, every
    call), "80~400" (a median of 80 ms with a long tail reaching 400 ms), or "" (at once)."""
    if not spec:
        return None
    median, _, tail = spec.partition("~")
    if not tail:
        return lambda: float(median) / 1000
    # Log-normal: half the calls under the median, 1 in 100 beyond the tail (capped there).
    mu, sigma = math.log(float(median) / 1000), math.log(float(tail) / float(median)) / 2.326
    draw = random.Random(7)
    return lambda: min(draw.lognormvariate(mu, sigma), float(tail) / 1000)


def latency_label() -> str:
    """The fake Slack's answer time, as the figures should name it."""
    spec = os.environ.get("SLACK_LATENCY", "")
    if not spec:
        return "fake Slack at once (~1 ms)"
    median, _, tail = spec.partition("~")
    return f"fake Slack {median} ms per call" + (f" (tail to {tail} ms)" if tail else "")


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    """The fake Slack, answering as fast as `SLACK_LATENCY` says (see `slack_latency`)."""
    fake = FakeSlack().start()
    fake.latency = slack_latency(os.environ.get("SLACK_LATENCY", ""))
    populate(fake)
    try:
        yield fake
    finally:
        fake.stop()


@contextmanager
def running_bot(**extra: object) -> Iterator[Bench]:
    """The bot in this process, on a fresh database."""
    with fresh_database() as database, fake_slack() as fake:
        config = settings(fake.api_url, database.url, **extra)
        services = create_services(config, database.db, utc_now)
        with serve(create_app(services)) as app_url:
            yield Bench(fake, services, SlackSender(app_url, SECRET, fake))
        services.scheduler.stop()


def bot_process(
    fake: FakeSlack, database: Database, folder: str, **env: str
) -> subprocess.Popen[bytes]:
    """`python -m bot` as production runs it, on `database`, calling the fake Slack; returns
    once it answers on /healthz. `env` adds settings (PORT is required)."""
    settings = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATABASE_URL": database.url,
        "ENCRYPTION_KEY": database.key,
        "LOG_LEVEL": "WARNING",
        **env,
    }
    return start_bot_process(settings, Path(folder), int(env["PORT"]))


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99, in milliseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000
