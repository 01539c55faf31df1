"""The method library: each intervisie method is a TOML file in `methods/library/`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LIBRARY = Path(__file__).with_name("library")
CASE_KINDS = ("problem", "incident", "dilemma", "success")
DEFAULT_CASE_MINUTES = 50


@dataclass(frozen=True)
class Method:
    id: str
    name: dict[str, str]
    summary: dict[str, str]
    minutes: int
    suits: tuple[str, ...]

    def named(self, language: str) -> str:
        return self.name.get(language) or self.name["en"]


def _load(path: Path) -> Method:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    suits = tuple(data["suits"])
    unknown = set(suits) - set(CASE_KINDS)
    if unknown or data["id"] != path.stem:
        raise ValueError(f"{path.name}: id must be the file name and suits one of {CASE_KINDS}")
    return Method(
        id=data["id"],
        name=dict(data["name"]),
        summary=dict(data["summary"]),
        minutes=int(data["minutes"]),
        suits=suits,
    )


@cache
def methods() -> dict[str, Method]:
    return {m.id: m for m in sorted(map(_load, LIBRARY.glob("*.toml")), key=lambda m: m.id)}


def suggestions(kind: str) -> list[Method]:
    """The methods that fit a kind of case, the best-known first."""
    return sorted(
        (m for m in methods().values() if kind in m.suits), key=lambda m: m.suits.index(kind)
    )


def estimated_minutes(method_id: str | None) -> int:
    method = methods().get(method_id or "")
    return method.minutes if method else DEFAULT_CASE_MINUTES
