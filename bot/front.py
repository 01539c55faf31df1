"""The public port: waitress, guarded so that no client can keep Slack from being answered.

waitress reads every connection in one event loop and hands a worker thread only a request that
has fully arrived, so a client that opens connections and trickles bytes into them holds no
thread. What it lacks, this adds:

- a deadline for each request: its headers and body arrive within REQUEST_DEADLINE seconds of
  its first byte, or it is answered 408 and the connection closed (waitress's own timeout only
  counts silence, which one byte a minute avoids);
- a cap on open connections per client address (trusted proxies aside, see TRUSTED_PROXIES),
  and in total; when the total is reached, the connection that has waited longest without a
  request to serve makes room, so a new one (Slack's) always gets in;
- caps on header size (431) and body size (413), and a short idle time for kept-alive
  connections.
"""

from __future__ import annotations

import errno
import time
from collections import Counter
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from bot.config import ConfigError
from bot.proxies import Networks, is_trusted
from bot.web import MAX_BODY, WSGIApp

# Seconds from a request's first byte until all of it (headers and body) must have arrived.
# Slack sends each request at once, well within this.
REQUEST_DEADLINE = 5.0
# Seconds a kept-alive connection may sit between requests.
IDLE_SECONDS = 15
# Open connections per client address, and in all.
PER_CLIENT = 32
TOTAL = 4096
# A request's headers beyond this many bytes are refused (431); Slack's are a few hundred.
MAX_HEADERS = 16 * 1024
# Worker threads that run the app for requests that have fully arrived.
THREADS = 16


_TOO_SLOW = b"The request did not arrive in time."
# Written by the event loop itself: a connection that is too slow takes no worker thread.
TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: " + str(len(_TOO_SLOW)).encode() + b"\r\n\r\n" + _TOO_SLOW
)


class GuardedChannel(HTTPChannel):  # type: ignore[misc]
    """A connection that notes when its request in progress began."""

    began: float | None = None

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.began = time.time()
        handled: bool = super().received(data)
        if self.request is None:
            self.began = None
        return handled

    def overdue(self, now: float) -> bool:
        return self.began is not None and now - self.began > REQUEST_DEADLINE

    def time_out(self) -> None:
        """Answer the request that did not arrive in time with 408, then close (unless a
        request before it is being answered: that one finishes first)."""
        with self.requests_lock:
            if self.requests or self.request is None:
                return
            self.request, self.began = None, None
        try:
            self.write_soon(TIMED_OUT)
        except ClientDisconnected:  # gone already: nothing to answer
            return
        self.close_when_flushed = True

    def waiting_since(self) -> float | None:
        """Since when this connection holds a place without a request to serve (None: it is
        being served)."""
        if self.requests:
            return None
        return self.began if self.began is not None else float(self.last_activity)


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    channel_class = GuardedChannel

    def __init__(self, application: Any, trusted: Networks, **settings: Any) -> None:
        self.trusted = trusted
        adj = Adjustments(**settings)
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(adj.threads)
        super().__init__(application, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        client = str(addr[0])
        channels: list[GuardedChannel] = list(self.active_channels.values())
        if not is_trusted(client, self.trusted):
            per_client = Counter(str(c.addr[0]) for c in channels)
            if per_client[client] >= PER_CLIENT:
                conn.close()
                return
        if len(channels) >= TOTAL and not self._make_room(channels):
            conn.close()
            return
        try:
            self.set_socket_options(conn)
        except OSError:
            conn.close()
            return
        self.channel_class(self, conn, addr, self.adj, map=self._map)

    def _make_room(self, channels: list[GuardedChannel]) -> bool:
        """Close the connection that has waited longest without a request to serve."""
        waiting = [(since, c) for c in channels if (since := c.waiting_since()) is not None]
        if not waiting:
            return False
        _, oldest = min(waiting, key=lambda pair: pair[0])
        oldest.will_close = True
        oldest.handle_close()
        return True

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        for channel in list(self.active_channels.values()):
            if channel.overdue(now):
                channel.time_out()


def http_server(application: WSGIApp, port: int, trusted: Networks) -> GuardedServer:
    """Claim the port first, so a taken port stops the bot before anything else happens."""
    try:
        return GuardedServer(
            application,
            trusted,
            host="0.0.0.0",
            port=port,
            threads=THREADS,
            connection_limit=TOTAL + PER_CLIENT,  # ours is TOTAL; waitress would stop listening
            channel_timeout=IDLE_SECONDS,
            cleanup_interval=1,
            max_request_header_size=MAX_HEADERS,
            max_request_body_size=MAX_BODY,
            asyncore_use_poll=True,  # select() stops at 1,024 connections
            # The forwarding headers reach the app, which trusts them only from TRUSTED_PROXIES
            # (bot/proxies.py); waitress would drop them all, or trust one address alone.
            clear_untrusted_proxy_headers=False,
            backlog=1024,
            ident="intervisie",
        )
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
