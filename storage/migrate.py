"""Apply Alembic migrations at start, so a fresh or older database just works."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage.crypto import check_key
from storage.models import Base, EncryptionCheck

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's settings interpolate '%': a percent-encoded password or path must stay as it is.
    url = engine.url.render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def prepare_database(engine: Engine) -> bool:
    """Migrate, then prove the engine's key reads the stored data (rotating it to the newest key).

    Returns True when stored text was re-encrypted with a new key; raises DecryptionError when
    the key is not the one the data was written with."""
    upgrade_to_head(engine)
    with engine.begin() as connection:
        return check_key(connection, EncryptionCheck.__table__, Base.metadata.sorted_tables)


def head_revision(engine: Engine) -> str | None:
    """The newest migration this code has."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def database_not_ready(engine: Engine, head: str | None) -> str | None:
    """Why the database cannot serve this code (unreachable, or not migrated to `head`);
    None when it can. One short query."""
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError:
        return "database unreachable"
    return None if current == head else "database not migrated"
