"""Start the bot as a real process, the way `python -m bot` runs in production."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TypeVar

T = TypeVar("T", str, bytes)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
