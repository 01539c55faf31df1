"""Start the bot as a real process, the way `python -m bot` runs in production."""

from __future__ import annotations

import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TypeVar

T = TypeVar("T", str, bytes)
# Not the `random` module: the tests' workers would draw the same ports from the same seed.
_DRAW = random.SystemRandom()


def _outgoing_ports() -> tuple[int, int]:
    """The range the system takes local ports from for outgoing connections."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A port for a server to listen on, below the range of outgoing connections' ports: any
    client connection of any test could take a port from that range between this choice and
    the server's start (and did, in CI)."""
    lowest_outgoing = _outgoing_ports()[0]
    for _ in range(200):
        port = _DRAW.randrange(10_000, lowest_outgoing)
        with socket.socket() as sock:
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port below the outgoing range")


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def leads(port: int) -> bool:
    """Whether the bot on `port` says it runs the scheduler."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
        return bool(response.read() == b"ok, leads the scheduler")


def start_bot_process(env: dict[str, str], cwd: Path, port: int) -> subprocess.Popen[bytes]:
    """Start `python -m bot` and wait until it answers on /healthz. What it says when it
    stops at once (a setting, a taken port) is kept in `bot-<port>.err` for the failure."""
    with (cwd / f"bot-{port}.err").open("wb") as said:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said
        )
    return _started(process, port, cwd / f"bot-{port}.err")


def start_logging_bot(env: dict[str, str], cwd: Path, port: int) -> subprocess.Popen[str]:
    """The same, keeping what the bot logs (its stderr) for the story to read."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return _started(process, port)


def _started(
    process: subprocess.Popen[T], port: int, said: Path | None = None
) -> subprocess.Popen[T]:
    deadline = time.monotonic() + 30
    while not healthy(port):
        if process.poll() is not None or time.monotonic() > deadline:
            why = said.read_text(errors="replace")[-2000:] if said and said.exists() else ""
            raise AssertionError(f"the bot did not start (exit {process.poll()}): {why}")
        time.sleep(0.05)
    return process
