"""Entry point: `python -m bot` runs Socket Mode with SLACK_APP_TOKEN, else the HTTP endpoint."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from cryptography.fernet import Fernet
from dotenv import find_dotenv, load_dotenv
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot import jobs
from bot.app import create_app, create_services
from bot.config import ConfigError, Settings, load_settings
from bot.installation import token_accepted
from bot.keys import cipher_for
from methods.library import MethodError, methods
from storage.crypto import DecryptionError
from storage.db import make_engine, make_session_factory
from storage.migrate import prepare_database

logger = logging.getLogger("bot")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Library debug output (and SQLAlchemy's echo at INFO) includes payloads and query
    # parameters, which may hold confidential cases: keep those loggers quieter.
    quiet = max(logging.INFO, logging.getLevelName(level))
    for library in ("slack_bolt", "slack_sdk", "urllib3", "apscheduler", "waitress"):
        logging.getLogger(library).setLevel(quiet)
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
    _check_methods()
    engine = make_engine(settings.database_url, cipher_for(settings))
    _prepare_database(engine)
    services = create_services(settings, make_session_factory(engine))
    app = create_app(services)
    token_accepted(services)
    if settings.run_scheduler:
        jobs.install(services)
        services.scheduler.start()
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("received signal %s, stopping", signum)
        stop.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            handler = SocketModeHandler(app, settings.app_token)
            handler.connect()
            logger.info("connected to Slack over Socket Mode")
            stop.wait()
        else:
            from bot.web import http_server

            server = http_server(app, settings.signing_secret or "", settings.port)
            logger.info("serving Slack requests on port %s at /slack/events", settings.port)
            server.run()
    except SystemExit:
        pass
    finally:
        services.scheduler.stop()
        engine.dispose()
        logger.info("stopped")


def main() -> None:
    if sys.argv[1:] == ["generate-key"]:
        print(Fernet.generate_key().decode("ascii"))
        return
    load_dotenv(find_dotenv(usecwd=True))
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        run(settings)
    except ConfigError as exc:
        print(f"intervisie-bot: {exc}", file=sys.stderr)
        sys.exit(2)
