"""Which key encrypts confidential text: ENCRYPTION_KEY, or a generated local key file.

A local key file is only for SQLite (the settings refuse PostgreSQL without ENCRYPTION_KEY).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings
from storage.crypto import Cipher

logger = logging.getLogger(__name__)


def key_file_path(settings: Settings) -> Path:
    if settings.encryption_key_file:
        return Path(settings.encryption_key_file)
    database = make_url(settings.database_url).database
    if database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".key")
    return Path("intervisie.key")


def cipher_for(settings: Settings) -> Cipher:
    if settings.encryption_keys:
        return Cipher(settings.encryption_keys)
    path = key_file_path(settings)
    try:
        text = _local_key(path)
    except OSError as exc:
        raise ConfigError(
            f"ENCRYPTION_KEY_FILE {path} cannot be used as the key file ({exc.strerror}): set it "
            "to a file path in a directory this user may write, or set ENCRYPTION_KEY."
        ) from None
    try:
        return Cipher([text])
    except ValueError:
        raise ConfigError(
            f"The key file {path} does not hold a valid key: restore it from your backup, or set "
            "ENCRYPTION_KEY in your environment or .env."
        ) from None


def _local_key(path: Path) -> str:
    """The key in the local key file, made (readable by its owner only) if there is none."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(Fernet.generate_key().decode("ascii") + "\n")
        logger.warning(
            "ENCRYPTION_KEY is not set: generated a new key in %s for local use. Back it up: "
            "without it the stored cases cannot be read. In production set ENCRYPTION_KEY.",
            path,
        )
    else:
        logger.warning(
            "ENCRYPTION_KEY is not set: using the local key file %s. In production set "
            "ENCRYPTION_KEY.",
            path,
        )
    return path.read_text().strip()
