"""Verification codes of proofs of participation: unguessable, easy to read out and type.

Sixteen characters from an alphabet without look-alikes (no I, L, O, U), in four groups:
80 random bits. Typing is forgiving: case, spaces and dashes do not matter, and the letters
people confuse with digits are read as those digits."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
LENGTH = 16
GROUP = 4
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def new_code() -> str:
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize_code(typed: str) -> str | None:
    """The code as stored, or None when `typed` cannot be one."""
    if len(typed) > 64:
        return None
    cleaned = "".join(_READ_AS.get(c, c) for c in typed.upper() if c not in " -\t")
    if len(cleaned) != LENGTH or any(c not in ALPHABET for c in cleaned):
        return None
    return format_code(cleaned)
