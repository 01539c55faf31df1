"""Entry point: `python -m bot` runs Socket Mode with SLACK_APP_TOKEN, else the HTTP endpoint."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import replace
from importlib.metadata import version
from types import FrameType

from cryptography.fernet import Fernet
from dotenv import find_dotenv, load_dotenv
from slack_bolt import App
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import jobs
from bot.app import create_app, create_services
from bot.config import ConfigError, Settings, load_settings
from bot.front import http_server
from bot.keys import cipher_for
from bot.logs import configure_logging
from bot.metrics import Metrics, serve_metrics
from bot.pages import page_facts
from bot.slack import check_tokens
from bot.web import Entrance, Watch, wsgi_app
from methods.library import MethodError, methods
from storage.crypto import DecryptionError
from storage.db import create_database_file, make_engine, make_session_factory
from storage.migrate import database_not_ready, head_revision, prepare_database
from usecases.installation import token_accepted
from usecases.services import Services
from usecases.verification import verify

logger = logging.getLogger("bot")


USAGE = """usage: python -m bot [command]

Commands:
  run            run the bot (the default): Socket Mode when SLACK_APP_TOKEN is set,
                 otherwise HTTP on PORT at /slack/events; without SLACK_BOT_TOKEN but
                 with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET it serves every workspace
                 that installs it ("Add to Slack" at /slack/install)
  generate-key   print a new ENCRYPTION_KEY

Options:
  -h, --help     show this help and exit
  --version      show the version and exit

Settings come from the environment, or from a .env file in the working directory
(see .env.example and README.md).
"""


def _prepare_database(engine: Engine) -> None:
    try:
        rotated = prepare_database(engine)
    except SQLAlchemyError as exc:
        raise ConfigError(
            "Cannot open the database at DATABASE_URL: check the URL in your environment or .env "
            f"and that the database server is running ({type(exc).__name__})."
        ) from exc
    except DecryptionError as exc:
        raise ConfigError(
            "ENCRYPTION_KEY cannot read the data in this database: it is not the key the data "
            "was written with. Set the key you used before; to change keys, put the new key "
            "first and the old one after it, separated by a comma."
        ) from exc
    if rotated:
        logger.info("stored confidential text re-encrypted with the first ENCRYPTION_KEY key")


def _check_methods() -> None:
    try:
        methods()
    except MethodError as exc:
        raise ConfigError(f"{exc}. Fix that file in methods/library/ and start again.") from exc


def run(settings: Settings) -> None:
    """Check every setting and the tokens with Slack before anything is created; then claim
    the port, then the database, and only then start the scheduler.

    SIGTERM (or Ctrl-C) stops the work first while the port still answers (its /readyz says
    503, so a load balancer takes the process out), then, STOP_GRACE seconds after the signal
    at the earliest, closes the port."""
    stop, stopping = threading.Event(), threading.Event()
    work: list[Services] = []

    def stop_work() -> None:
        for services in work:
            services.scheduler.stop()
            # Finish the batch in hand and take no new one: what is still due is in the
            # database, and the next process that leads sends it, once.
            services.due_runs.stop()
            services.fanout.stop()
            services.updates.stop()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        if stopping.is_set():  # a second signal: no more waiting
            raise SystemExit(0)
        logger.info("received signal %s, stopping", signum)
        stopping.set()
        if server is None or not work:
            stop.set()
            raise SystemExit(0)
        threading.Thread(target=drain, name="stopping", daemon=True).start()

    def drain() -> None:
        began = time.monotonic()
        stop_work()
        time.sleep(max(0.0, settings.stop_grace - (time.monotonic() - began)))
        os.kill(os.getpid(), signal.SIGUSR1)

    def close_port(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    server, entrance = None, Entrance()
    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGUSR1, close_port)
    _check_methods()
    team_id, app_id = check_tokens(settings)
    settings = replace(settings, app_id=settings.app_id or app_id)
    if not settings.socket_mode:
        server = http_server(entrance, settings.port, settings.trusted_proxies)
    metrics = Metrics()
    if settings.metrics_port is not None:
        _metrics_port(metrics, settings.metrics_port, settings.metrics_token)
    cipher = cipher_for(settings)
    create_database_file(settings.database_url)
    engine = make_engine(settings.database_url, cipher)
    _prepare_database(engine)
    head = head_revision(engine)
    services = create_services(
        settings, make_session_factory(engine), team_id=team_id, metrics=metrics
    )
    work.append(services)
    app = create_app(services, token_checked=True)
    if not settings.many_workspaces:
        token_accepted(services)
    if settings.run_scheduler:
        jobs.install(services)
        services.scheduler.start()
    try:
        if server is None:
            serve_socket_mode(app, settings, stop)
        else:
            watch = Watch(
                leading=lambda: services.scheduler.leading,
                not_ready=lambda: (
                    "stopping" if stopping.is_set() else database_not_ready(engine, head)
                ),
                metrics=metrics,
                metrics_token=settings.metrics_token,
            )
            entrance.open(
                wsgi_app(
                    app,
                    settings.signing_secret or "",
                    watch,
                    page_facts(settings),
                    lambda code: verify(services.db, code),
                    settings.trusted_proxies,
                )
            )
            logger.info(
                "serving Slack requests on port %s at /slack/events%s",
                settings.port,
                ", and 'Add to Slack' at /slack/install" if settings.many_workspaces else "",
            )
            server.run()
    except SystemExit:
        pass
    finally:
        stop_work()
        engine.dispose()
        logger.info("stopped")


def _metrics_port(metrics: Metrics, port: int, token: str | None) -> None:
    try:
        serve_metrics(metrics, port, token)
    except OSError as exc:
        raise ConfigError(
            f"Cannot serve metrics on METRICS_PORT {port} ({exc.strerror}): set METRICS_PORT in "
            "your environment or .env to a free port, or remove it."
        ) from exc
    where = "every address, with METRICS_TOKEN" if token else "127.0.0.1"
    logger.info("serving metrics on port %s (%s) at /metrics", port, where)


def serve_socket_mode(app: App, settings: Settings, stop: threading.Event) -> None:
    """Connect over Socket Mode; say "connected" once the connection is really up (slack_sdk
    keeps trying to connect by itself)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, settings.app_token)
    handler.connect()
    said = False
    while not stop.wait(0.5 if not said else 60):
        if not said and handler.client.is_connected():
            logger.info("connected to Slack over Socket Mode")
            said = True


def main() -> None:
    arguments = sys.argv[1:]
    if arguments and arguments[0] in ("-h", "--help"):
        print(USAGE, end="")
        return
    if arguments == ["--version"]:
        print(f"intervisie-bot {version('intervisie-bot')}")
        return
    if arguments == ["generate-key"]:
        print(Fernet.generate_key().decode("ascii"))
        return
    if arguments not in ([], ["run"]):
        print(
            f"intervisie-bot: unknown argument '{arguments[0]}'\n\n{USAGE}", end="", file=sys.stderr
        )
        sys.exit(2)
    load_dotenv(find_dotenv(usecwd=True))
    try:
        settings = load_settings()
        # Settings are read once: Bolt would read the token again (and warn that it is unused).
        for name in (
            "SLACK_BOT_TOKEN",
            "SLACK_APP_TOKEN",
            "SLACK_SIGNING_SECRET",
            "SLACK_CLIENT_ID",
            "SLACK_CLIENT_SECRET",
        ):
            os.environ.pop(name, None)
        configure_logging(settings.log_level, settings.log_format)
        run(settings)
    except ConfigError as exc:
        print(f"intervisie-bot: {exc}", file=sys.stderr)
        sys.exit(2)
