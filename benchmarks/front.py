"""The public port under hostile connections, three servers compared in one run: waitress as the
bot served it before (its defaults, 8 threads), waitress guarded as the bot serves it now
(`bot/front.py`), and uvicorn (made for many idle connections) serving the same WSGI app
through a2wsgi. For each: how fast Slack's requests are acknowledged and the pages answered (a
signed command, click and event, the landing page and /healthz, in turn; p50 / p99) with no
other client, and while 1,000 connections each send a byte every 2 s without ever finishing a
request (reconnecting when dropped) and 200 more send nothing, from 60 addresses; and the
server process's resident memory.

Each server runs in a process of its own; the fake Slack and the hostile clients run here.

    pip install -e '.[bench]'   # uvicorn and a2wsgi, for the comparison
    python -m benchmarks.front [rounds]
"""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from multiprocessing.connection import Connection

from benchmarks.harness import SECRET, fake_slack, fresh_database, percentiles, settings
from bot.app import create_app, create_services
from bot.front import http_server
from bot.web import wsgi_app
from tests.processes import free_port, healthy
from tests.slackkit.people import CHLOE, NOORD
from tests.slackkit.sender import SlackSender
from usecases.clock import utc_now

SLOW, IDLE, ADDRESSES = 1000, 200, 60


def serve(server: str, api_url: str, port: int, ready: Connection) -> None:
    """The bot's app on `port`, served by `server` (in a child process)."""
    with fresh_database() as database:
        services = create_services(settings(api_url, database.url), database.db, utc_now)
        application = wsgi_app(create_app(services), SECRET)
        if server == "uvicorn":
            import uvicorn
            from a2wsgi import WSGIMiddleware

            ready.send("up")
            uvicorn.run(WSGIMiddleware(application), port=port, log_level="error")
        elif server == "waitress, defaults":
            from waitress import serve as waitress_serve

            ready.send("up")
            waitress_serve(application, port=port, threads=8, _quiet=True)
        else:
            ready.send("up")
            http_server(application, port, ()).run()


class Hostile:
    """SLOW connections that trickle a byte every 2 s and IDLE that say nothing, from
    ADDRESSES loopback addresses; dropped ones are opened again."""

    BEGIN = b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nX-Wait: "

    def __init__(self, port: int) -> None:
        self._port = port
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.opened = 0

    def _open(self, n: int) -> socket.socket:
        """Connecting without waiting: a server that stops accepting leaves it pending."""
        sock = socket.socket()
        sock.setblocking(False)
        sock.bind((f"127.0.1.{1 + n % ADDRESSES}", 0))
        sock.connect_ex(("127.0.0.1", self._port))
        self.opened += 1
        return sock

    def _trickle(self, slow: list[socket.socket], n: int, data: bytes) -> None:
        try:
            slow[n].send(data)
        except OSError:  # dropped by the server, or not connected yet: try again
            slow[n].close()
            slow[n] = self._open(n)
            with contextlib.suppress(OSError):
                slow[n].send(self.BEGIN)

    def _run(self) -> None:
        slow = [self._open(n) for n in range(SLOW)]
        idle = [self._open(SLOW + n) for n in range(IDLE)]
        time.sleep(0.5)
        for n in range(SLOW):
            self._trickle(slow, n, self.BEGIN)
        while not self._stop.wait(2.0):
            for n in range(SLOW):
                self._trickle(slow, n, b"a")
        for sock in [*slow, *idle]:
            sock.close()

    def __enter__(self) -> Hostile:
        self._thread.start()
        time.sleep(8)  # all connected and trickling, past the guard's first deadline
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def asks(sender: SlackSender, base: str) -> list[Callable[[], object]]:
    """What Slack and people send, in turn: a command, a click, an event, a page, /healthz."""
    message = {"type": "message", "channel": NOORD, "user": CHLOE, "text": "Hi", "ts": "1.2"}
    return [
        lambda: sender.command(CHLOE, NOORD, "help"),
        lambda: sender.click(CHLOE, "poll_vote", "1", channel=NOORD, message_ts="1.1"),
        lambda: sender.event({**message, "channel_type": "group", "event_ts": "1.2"}),
        lambda: urllib.request.urlopen(f"{base}/", timeout=10).read(),
        lambda: urllib.request.urlopen(f"{base}/healthz", timeout=10).read(),
    ]


def acks(sender: SlackSender, base: str, rounds: int) -> list[float]:
    """Answer times of `rounds` requests (each kind in turn); after three in a row without an
    answer within 10 s, the rest is not tried (they would not be answered either)."""
    samples: list[float] = []
    kinds = asks(sender, base)
    for n in range(rounds):
        started = time.perf_counter()
        try:
            kinds[n % len(kinds)]()
        except OSError:
            samples.append(time.perf_counter() - started)
            if len(samples) >= 3 and all(s > 9 for s in samples[-3:]):
                break
            continue
        samples.append(time.perf_counter() - started)
    return samples


def row(label: str, samples: list[float], memory: float) -> str:
    p50, p99 = percentiles(samples)
    late = sum(1 for s in samples if s > 1.0)
    return (
        f"{label:<30}{p50:>10.1f} ms{p99:>10.1f} ms{late:>5} of {len(samples):<5}{memory:>6.0f} MB"
    )


def main(rounds: int) -> None:
    print(f"{SLOW:,} trickling and {IDLE} silent connections from {ADDRESSES} addresses")
    print(f"{'server':<30}{'ack p50':>13}{'p99':>13}{'over 1 s':>13}{'RSS':>9}")
    with fake_slack() as fake:
        for name in ("waitress, defaults", "waitress, guarded", "uvicorn"):
            port = free_port()
            parent, child = multiprocessing.Pipe()
            process = multiprocessing.Process(target=serve, args=(name, fake.api_url, port, child))
            process.start()
            parent.recv()
            while not healthy(port):
                time.sleep(0.05)
            base = f"http://127.0.0.1:{port}"
            sender = SlackSender(f"{base}/slack/events", SECRET, fake)
            acks(sender, base, 10)  # warm up
            alone, calm = acks(sender, base, rounds), rss_mb(process.pid)
            with Hostile(port) as hostile:
                loaded, memory = acks(sender, base, rounds), rss_mb(process.pid)
                opened = hostile.opened
            print(row(f"{name}, alone", alone, calm))
            print(row(f"{name}, hostile", loaded, memory) + f"  ({opened:,} connections opened)")
            process.terminate()
            process.join()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
