"""HTTP mode: Bolt's endpoint at /slack/events plus /healthz, served by waitress."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.config import ConfigError

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

    from waitress.server import BaseWSGIServer

WSGIApp = Callable[["WSGIEnvironment", "StartResponse"], Iterable[bytes]]
SLACK_PATH = "/slack/events"


def wsgi_app(app: App) -> WSGIApp:
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == SLACK_PATH:
            return slack(environ, start_response)
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return application


def http_server(app: App, port: int) -> BaseWSGIServer:
    from waitress.server import create_server

    try:
        return create_server(wsgi_app(app), host="0.0.0.0", port=port, threads=8)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"Port {port} is already in use: set PORT in your environment or .env to a free "
                "port, or stop the program that uses it."
            ) from exc
        raise ConfigError(
            f"Cannot listen on port {port} ({exc.strerror}): set PORT in your environment or .env "
            "to a port this user may open."
        ) from exc
