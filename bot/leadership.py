"""Who runs the scheduler, and how the other processes tell it that timers changed.

Leadership is a lock that the operating system or PostgreSQL drops the moment its holder dies,
so a restarted or standby process takes over at once, never after a timeout:

- PostgreSQL: a session-level advisory lock on a connection of the leader's own. The same
  connection LISTENs for changes that other processes NOTIFY. When the connection is gone (the
  process died, the server ended it, the network failed), the lock is gone with it and the
  leader hears so from the closed connection and stops.
- SQLite: an exclusive `flock` on a file next to the database file, for processes on one host;
  changes arrive as datagrams on a local socket that only the leader binds.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import socket
from abc import ABC, abstractmethod
from pathlib import Path

import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)
CHANNEL = "intervisie_timers"
# The advisory lock's key: one bigint, the same in every process of this bot.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"intervisie-bot:scheduler").digest()[:8], "big") >> 1
# A leader that vanishes from the network loses its lock within about this many seconds.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3}


class Leadership(ABC):
    """The leader's lock and its ear for changes; `notify` works in any process."""

    # How long a new leader waits before it runs jobs: time for a leader whose lock was taken
    # from it (its connection ended) to hear so and stop first.
    grace: float = 0.0

    @abstractmethod
    def acquire(self) -> bool:
        """Try once, without waiting: True when this process now leads."""

    @abstractmethod
    def listen(self, timeout: float) -> list[str] | None:
        """While leading: the changes told within `timeout` seconds (often none), or None when
        the lock is lost."""

    @abstractmethod
    def release(self) -> None:
        """Give up the lock (nothing happens when it is not held)."""

    @abstractmethod
    def notify(self, db: sessionmaker[Session], change: str) -> None:
        """Tell the leader, wherever it runs, that `change` happened."""


class PostgresLeadership(Leadership):
    grace = 0.25  # the old leader hears of its ended connection within milliseconds

    def __init__(self, url: URL) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self._conninfo, autocommit=True, **KEEPALIVE)
            # The server, too, notices a vanished leader and frees its lock within seconds.
            for setting in ("idle", "interval", "count"):
                value = KEEPALIVE[f"keepalives_{setting}"]
                self._connection.execute(f"SET tcp_keepalives_{setting} = {value}")
        return self._connection

    def acquire(self) -> bool:
        try:
            connection = self._connect()
            row = connection.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()
            if not row or not row[0]:
                return False
            connection.execute(f"LISTEN {CHANNEL}")
            return True
        except psycopg.Error:
            logger.warning("could not reach the database to compete for the scheduler")
            self._drop()
            return False

    def listen(self, timeout: float) -> list[str] | None:
        if self._connection is None:
            return None
        try:
            return [n.payload for n in self._connection.notifies(timeout=timeout)]
        except psycopg.Error:
            self._drop()
            return None

    def release(self) -> None:
        self._drop()  # closing the connection ends its session, and with it lock and LISTEN

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except psycopg.Error:
                logger.debug("the scheduler's connection was closed already")
            self._connection = None

    def notify(self, db: sessionmaker[Session], change: str) -> None:
        try:
            with db.begin() as session:
                session.execute(select(func.pg_notify(CHANNEL, change)))
        except SQLAlchemyError:
            logger.warning("could not tell the scheduler about a timer change; it finds it itself")


class FileLeadership(Leadership):
    def __init__(self, database: Path) -> None:
        self._lock_path = database.with_name(database.name + ".leader")
        digest = hashlib.sha256(str(database.resolve()).encode()).hexdigest()[:24]
        self._address = f"\0intervisie-bot-{digest}"  # Linux's abstract namespace: no file
        self._fd: int | None = None
        self._ear: socket.socket | None = None

    def acquire(self) -> bool:
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        ear = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        try:
            ear.bind(self._address)
            self._ear = ear
        except OSError:
            ear.close()
            logger.info("other processes' timer changes reach the scheduler by its reconcile")
        return True

    def listen(self, timeout: float) -> list[str] | None:
        if self._fd is None:
            return None
        if self._ear is None:
            return []
        changes: list[str] = []
        self._ear.settimeout(timeout)
        try:
            while True:
                changes.append(self._ear.recv(512).decode())
                self._ear.settimeout(0)  # then take whatever else is waiting, without waiting
        except (TimeoutError, BlockingIOError):
            return changes

    def release(self) -> None:
        if self._ear is not None:
            self._ear.close()
            self._ear = None
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None

    def notify(self, db: sessionmaker[Session], change: str) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as mouth:
            try:
                mouth.sendto(change.encode(), self._address)
            except OSError:
                logger.debug("no scheduler listens on this host; its reconcile finds the change")


def leadership_for(url: URL) -> Leadership:
    if url.get_backend_name() == "postgresql":
        return PostgresLeadership(url)
    if not url.database:
        raise ValueError("the scheduler needs a database file, not an in-memory database")
    return FileLeadership(Path(url.database))
