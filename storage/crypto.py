"""Encryption at rest for confidential text: Fernet tokens, MultiFernet for key rotation.

An engine carries its cipher (`attach`); `EncryptedText` columns encrypt on the way in and
decrypt on the way out. A value that the keys cannot read raises `DecryptionError`: the bot
never shows or stores garbage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Connection, Dialect, Engine, Table, Text, select, type_coerce, update
from sqlalchemy.types import TypeDecorator

CHECK_NAME = "key-check"
CHECK_TEXT = "intervisie"
_ATTRIBUTE = "intervisie_cipher"


class DecryptionError(Exception):
    """Stored data cannot be read with the configured keys."""


class Cipher:
    """The configured keys; the first one encrypts, every one of them may decrypt."""

    def __init__(self, keys: Sequence[bytes | str]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._keys = [Fernet(key) for key in keys]
        self._fernet = MultiFernet(self._keys)

    def encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError(
                "stored confidential text cannot be decrypted with ENCRYPTION_KEY"
            ) from exc

    def made_with_first_key(self, token: str) -> bool:
        try:
            self._keys[0].decrypt(token.encode("ascii"))
        except InvalidToken:
            return False
        return True

    def rotate(self, token: str) -> str:
        """Re-encrypt a token with the first key (it may have been made with an older one)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise DecryptionError("a stored token matches none of the keys") from exc


def attach(engine: Engine, cipher: Cipher) -> None:
    setattr(engine.dialect, _ATTRIBUTE, cipher)


def cipher_of(dialect: Dialect) -> Cipher:
    cipher = getattr(dialect, _ATTRIBUTE, None)
    if not isinstance(cipher, Cipher):
        raise RuntimeError("this engine has no encryption key: use storage.db.make_engine(cipher=)")
    return cipher


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else cipher_of(dialect).encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher_of(dialect).decrypt(value)


def encrypted_columns(tables: Sequence[Table]) -> list[tuple[Table, list[str]]]:
    found = []
    for table in tables:
        names = [c.name for c in table.columns if isinstance(c.type, EncryptedText)]
        if names:
            found.append((table, names))
    return found


def check_key(connection: Connection, check_table: Table, tables: Sequence[Table]) -> bool:
    """Prove the keys read this database, and rotate every token to the first key if needed.

    Returns True when tokens were rotated. Raises DecryptionError for a wrong key."""
    cipher = cipher_of(connection.dialect)
    token = connection.scalar(select(check_table.c.token).where(check_table.c.name == CHECK_NAME))
    if token is None:
        connection.execute(
            check_table.insert().values(name=CHECK_NAME, token=cipher.encrypt(CHECK_TEXT))
        )
        return False
    if cipher.decrypt(token) != CHECK_TEXT:
        raise DecryptionError("the key check holds an unexpected value")
    if cipher.made_with_first_key(token):
        return False
    for table, names in encrypted_columns(tables):
        rewrite_raw(connection, table, names, cipher.rotate)
    connection.execute(
        update(check_table)
        .where(check_table.c.name == CHECK_NAME)
        .values(token=cipher.rotate(token))
    )
    return True


def rewrite_raw(
    connection: Connection, table: Table, names: list[str], change: Callable[[str], str]
) -> None:
    """Rewrite the stored (raw) values of some columns, row by row."""
    key = list(table.primary_key.columns)
    raw = [type_coerce(table.c[name], Text).label(name) for name in names]
    for row in connection.execute(select(*key, *raw)).mappings().all():
        values = {
            table.c[name]: type_coerce(change(row[name]), Text)
            for name in names
            if row[name] is not None
        }
        if values:
            where = [column == row[column.name] for column in key]
            connection.execute(update(table).where(*where).values(values))
