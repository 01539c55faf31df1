"""Apply Alembic migrations at start, so a fresh or older database just works."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def include_object(
    _object: object, name: str | None, kind: str, _reflected: bool, _compare_to: object
) -> bool:
    """APScheduler's job table is created by migration 0002 but has no model: leave it be."""
    return not (kind == "table" and name == "apscheduler_jobs")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")
