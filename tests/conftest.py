"""Fixtures: a database (SQLite, or PostgreSQL with TEST_DATABASE_URL), the fake Slack and the bot
served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from sqlalchemy import Engine, MetaData, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_app, create_services
from bot.config import Settings, normalize_database_url
from bot.metrics import Metrics
from bot.pages import page_facts
from bot.web import Watch, wsgi_app
from storage.crypto import Cipher
from storage.db import make_engine, make_session_factory
from storage.migrate import prepare_database
from tests.slackkit.executor import TrackingExecutor
from tests.slackkit.fake_slack import TEAM_ID, FakeSlack
from tests.slackkit.people import populate
from tests.slackkit.sender import SlackSender
from usecases.services import Services
from usecases.verification import verify

SIGNING_SECRET = "test-signing-secret"
METRICS_TOKEN = "test-metrics-token-0123456789"
# The key the test database is encrypted with (generated once with `python -m bot generate-key`).
TEST_KEY = "WOf2D4aHXK0zvqVUxN9Ic5nDOGZrEFsHg2ytFS7cDzs="


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


def drop_everything(engine: Engine) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Four workers, each with a database of its own (the scheduler's lead is a lock within
    one database, so workers never compete for it)."""
    return 4


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite in a temporary file, or TEST_DATABASE_URL; each pytest-xdist worker gets a
    database of its own (for PostgreSQL, the named database with the worker's suffix)."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if not configured:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = make_url(normalize_database_url(configured))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None or url.get_backend_name() != "postgresql":
        return url.render_as_string(hide_password=False)
    own = url.set(database=f"{url.database}_{worker}")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    admin.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, Cipher([TEST_KEY]))
    drop_everything(engine)
    prepare_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> sessionmaker[Session]:
    """A migrated database with every table emptied before the test."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in ("alembic_version", "encryption_check"):
                connection.execute(text(f"DELETE FROM {table.name}"))
    return make_session_factory(engine)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    populate(fake)
    yield fake
    fake.stop()
    assert not fake.refused, f"Slack refused what the bot sent: {fake.refused}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


def settings_for(fake: FakeSlack, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": "xoxb-test-token",
        "signing_secret": SIGNING_SECRET,
        "app_token": None,
        "port": 0,
        "database_url": database_url,
        "slack_api_url": fake.api_url,
        "log_level": "INFO",
        "run_scheduler": False,
        "encryption_keys": (TEST_KEY,),
        "slack_pacing": False,  # the meetings here pass in seconds; a story turns it on
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@dataclass
class Bot:
    """The running bot as a test sees it: Slack talks to it, and we can look into its database."""

    slack: SlackSender
    fake: FakeSlack
    services: Services
    clock: FakeClock
    url: str

    @property
    def db(self) -> sessionmaker[Session]:
        return self.services.db


@pytest.fixture
def bot(
    fake_slack: FakeSlack, db: sessionmaker[Session], clock: FakeClock, database_url: str
) -> Iterator[Bot]:
    services = create_services(settings_for(fake_slack, database_url), db, clock, TEAM_ID)
    yield from serving(services, fake_slack, clock)


def metrics_of(services: Services) -> Metrics:
    """The process's metrics, which the use cases know only as their measures."""
    assert isinstance(services.measures, Metrics)
    return services.measures


def serving(services: Services, fake_slack: FakeSlack, clock: FakeClock) -> Iterator[Bot]:
    """The bot for `services`, answering Slack's requests over HTTP on a free port."""
    fake_slack.clock = lambda: clock().timestamp()  # Slack dates messages by the story's time
    listeners = TrackingExecutor()
    app = create_app(services, listener_executor=listeners)
    server = make_server(
        "127.0.0.1",
        0,
        wsgi_app(
            app,
            SIGNING_SECRET,
            Watch(
                leading=lambda: services.scheduler.leading,
                not_ready=lambda: None,
                metrics=metrics_of(services),
                metrics_token=METRICS_TOKEN,
            ),
            facts=page_facts(services.settings),
            proofs=lambda code: verify(services.db, code),
        ),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    yield Bot(
        SlackSender(f"{url}/slack/events", SIGNING_SECRET, fake_slack, listeners.wait_idle),
        fake_slack,
        services,
        clock,
        url,
    )
    listeners.wait_idle()
    server.shutdown()
    server.server_close()
    listeners.shutdown()


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
