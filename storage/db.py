"""Engine and session factory. Repositories never commit; callers own the transaction."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Row, Table, create_engine, delete, event, make_url
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from storage.crypto import Cipher, attach


def make_engine(database_url: str, cipher: Cipher | None = None) -> Engine:
    """Create an engine; SQLite gets settings that let the web and scheduler threads share it.

    `cipher` encrypts and decrypts the confidential columns; an engine without one can migrate
    an empty database but cannot store or read confidential text."""
    engine = _engine(database_url)
    if cipher is not None:
        attach(engine, cipher)
    return engine


def create_database_file(database_url: str) -> None:
    """A new SQLite file is readable by its owner only (mode 600, like the key file); SQLite
    gives its -wal and -shm files the same mode."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        return
    path = Path(url.database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _engine(database_url: str) -> Engine:
    """`hide_parameters`: a database error never repeats the values of its statement, which
    may be a case's text."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            hide_parameters=True,
        )

        @event.listens_for(engine, "first_connect")
        def _sqlite_wal(dbapi_connection: Any, _record: Any) -> None:
            """WAL lets readers and a writer work at once; the mode is kept in the database
            file, so setting it once per engine is enough."""
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "connect")
        def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            """Foreign keys cascade; what is deleted is overwritten in the file, not left in
            its free pages (people's right to be forgotten)."""
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    return create_engine(database_url, pool_pre_ping=True, hide_parameters=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def toggle_row(session: Session, table: Table, key: dict[str, Any], values: dict[str, Any]) -> bool:
    """Delete the row with `key`, or insert it (with `values`) when there was none; True when
    it is there now. Two statements that never conflict: a click that races another one
    finds the row deleted or already inserted, with no error and no identity-map warning."""
    where = [table.c[name] == value for name, value in key.items()]
    if session.execute(delete(table).where(*where)).rowcount:
        return False
    insert_new(session, table, {**key, **values})
    return True


def insert_new(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert the row unless one with its key (primary or unique) is there: one statement,
    never a conflict error (a concurrent insert of the same key simply loses); True when this
    one was inserted."""
    return bool(insert_new_rows(session, table, [values]))


def insert_new_rows(
    session: Session, table: Table, rows: list[dict[str, Any]]
) -> Sequence[Row[Any]]:
    """Insert those of the rows whose key is not there yet, in one statement; the primary keys
    of the rows this call inserted."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)
    return session.execute(statement, rows).all()  # compiled once, whatever the rows


def wipe_history(db: sessionmaker[Session]) -> None:
    """After erasing people: SQLite's write-ahead log still holds the pages as they were
    before; a checkpoint moves the new ones into the database file (where secure_delete has
    zeroed what was deleted) and empties the log. PostgreSQL keeps no such file of ours (its
    own WAL and backups: README)."""
    engine = db.kw["bind"]
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
