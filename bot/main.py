"""Entry point: `python -m bot` runs Socket Mode with SLACK_APP_TOKEN, else the HTTP endpoint."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
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
from bot.pages import page_facts
from bot.slack import check_tokens
from bot.web import Entrance, wsgi_app
from methods.library import MethodError, methods
from storage.crypto import DecryptionError
from storage.db import create_database_file, make_engine, make_session_factory
from storage.migrate import prepare_database
from usecases.installation import token_accepted
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


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Library debug output includes payloads and query parameters, which may hold confidential
    # cases: those loggers stay at INFO or quieter. APScheduler says INFO for every run of every
    # job (several a second), so it only speaks up for warnings.
    quiet = max(logging.INFO, logging.getLevelName(level))
    # Bolt's own loggers copy the level of the app's logger ("slack_bolt.App"), so it is set
    # explicitly rather than inherited.
    for library in ("slack_bolt", "slack_bolt.App", "slack_sdk", "urllib3", "waitress"):
        logging.getLogger(library).setLevel(quiet)
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, quiet))
    logging.getLogger("sqlalchemy").setLevel(max(logging.WARNING, quiet))


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
    the port, then the database, and only then start the scheduler."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("received signal %s, stopping", signum)
        stop.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    _check_methods()
    team_id = check_tokens(settings)
    server, entrance = None, Entrance()
    if not settings.socket_mode:
        server = http_server(entrance, settings.port, settings.trusted_proxies)
    cipher = cipher_for(settings)
    create_database_file(settings.database_url)
    engine = make_engine(settings.database_url, cipher)
    _prepare_database(engine)
    services = create_services(settings, make_session_factory(engine), team_id=team_id)
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
            entrance.open(
                wsgi_app(
                    app,
                    settings.signing_secret or "",
                    lambda: services.scheduler.leading,
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
        services.scheduler.stop()
        # Finish the batch in hand and take no new one: what is still due is in the database,
        # and the next process that leads sends it, once.
        services.due_runs.stop()
        services.fanout.stop()
        services.updates.stop()
        engine.dispose()
        logger.info("stopped")


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
        configure_logging(settings.log_level)
        run(settings)
    except ConfigError as exc:
        print(f"intervisie-bot: {exc}", file=sys.stderr)
        sys.exit(2)
