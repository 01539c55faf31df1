"""Alembic environment: runs online against the engine handed over by storage.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from storage.models import Base

config = context.config


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if isinstance(engine, Engine):
        return engine
    return create_engine(
        config.get_main_option("sqlalchemy.url") or "sqlite:///intervisie.db", hide_parameters=True
    )


def run_migrations_online() -> None:
    with _engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the old one; with foreign keys on,
            # SQLite would cascade that drop into every row that refers to the table.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


run_migrations_online()
