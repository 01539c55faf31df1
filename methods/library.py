"""The method library: each intervisie method is a TOML file in `methods/library/`, checked when
it is loaded. A file that is wrong stops the bot with a message naming the file and the problem."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

LIBRARY = Path(__file__).with_name("library")
CASE_KINDS = ("problem", "incident", "dilemma", "success")
ACTORS = ("owner", "group", "chair", "everyone")
COLLECTIONS = ("questions", "hypotheses", "advice")
# In an asynchronous case, a round without its own collection gathers written contributions.
ASYNC_COLLECTION = "contributions"
MAX_ASYNC_HOURS = 24 * 7
ROLES = ("owner", "chair", "timekeeper")
LANGUAGES = ("nl", "en")
DEFAULT_CASE_MINUTES = 50


class MethodError(ValueError):
    """A method file is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class Text:
    nl: str
    en: str

    def __call__(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


@dataclass(frozen=True)
class Phase:
    id: str
    title: Text
    who: str
    minutes: int
    prompt: Text
    questions: tuple[Text, ...]
    owner_listens: bool = False
    round: bool = False
    collect: str | None = None
    closing: bool = False
    async_hours: int = 24  # how long the phase lasts in an asynchronous case


@dataclass(frozen=True)
class Method:
    id: str
    name: Text
    summary: Text
    suits: tuple[str, ...]
    roles: tuple[str, ...]
    source: str
    phases: tuple[Phase, ...]

    def named(self, language: str) -> str:
        return self.name(language)

    @property
    def minutes(self) -> int:
        return sum(phase.minutes for phase in self.phases)

    def asynchronous(self) -> Method:
        """The method as an asynchronous case runs it: each phase lasts its `async_hours`, and
        every round collects what members write, so the group can see who contributed."""
        return replace(
            self,
            phases=tuple(
                replace(
                    p,
                    minutes=p.async_hours * 60,
                    collect=p.collect or (ASYNC_COLLECTION if p.round else None),
                )
                for p in self.phases
            ),
        )

    def with_minutes(self, overrides: Mapping[str, int]) -> Method:
        """The method with a group's own phase durations (unknown phase ids are ignored)."""
        return replace(
            self,
            phases=tuple(replace(p, minutes=overrides.get(p.id, p.minutes)) for p in self.phases),
        )


def _text(data: Any, where: str) -> Text:
    if not isinstance(data, dict) or any(not str(data.get(lang, "")).strip() for lang in LANGUAGES):
        raise ValueError(f"{where} needs a text in both Dutch (nl) and English (en)")
    return Text(nl=str(data["nl"]), en=str(data["en"]))


def _default_async_hours(data: dict[str, Any]) -> int:
    """Without `async_hours` in the file: two days to gather advice, a day for the group's
    other phases, half a day for the case owner's own."""
    if data.get("collect") == "advice":
        return 48
    return 12 if data.get("who") == "owner" else 24


def _phase(data: dict[str, Any], number: int) -> Phase:
    where = f"phase {number} ({data.get('id', 'no id')})"
    if not str(data.get("id", "")).strip():
        raise ValueError(f"{where} has no id")
    minutes = data.get("minutes")
    if not isinstance(minutes, int) or minutes <= 0:
        raise ValueError(f"{where} needs a duration: minutes = a whole number above 0")
    if data.get("who") not in ACTORS:
        raise ValueError(f"{where}: who must be one of {', '.join(ACTORS)}")
    if data.get("collect") not in (None, *COLLECTIONS):
        raise ValueError(f"{where}: collect must be one of {', '.join(COLLECTIONS)}")
    async_hours = data.get("async_hours", _default_async_hours(data))
    if not isinstance(async_hours, int) or not 1 <= async_hours <= MAX_ASYNC_HOURS:
        raise ValueError(f"{where}: async_hours must be a whole number from 1 to {MAX_ASYNC_HOURS}")
    questions = data.get("questions")
    if not isinstance(questions, dict):
        raise ValueError(f"{where} needs guiding questions in nl and en")
    nl, en = questions.get("nl") or [], questions.get("en") or []
    if not nl or len(nl) != len(en):
        raise ValueError(f"{where} needs the same guiding questions in nl and en")
    return Phase(
        id=str(data["id"]),
        title=_text(data.get("title"), f"{where} title"),
        who=str(data["who"]),
        minutes=minutes,
        prompt=_text(data.get("prompt"), f"{where} prompt"),
        questions=tuple(Text(q_nl, q_en) for q_nl, q_en in zip(nl, en, strict=True)),
        owner_listens=bool(data.get("owner_listens", False)),
        round=bool(data.get("round", False)),
        collect=data.get("collect"),
        closing=bool(data.get("closing", False)),
        async_hours=async_hours,
    )


def parse_method(data: dict[str, Any], expected_id: str) -> Method:
    if data.get("id") != expected_id:
        raise ValueError(f"id must be '{expected_id}', the file's name")
    suits = tuple(data.get("suits") or ())
    if not suits or set(suits) - set(CASE_KINDS):
        raise ValueError(f"suits must list kinds of case from {', '.join(CASE_KINDS)}")
    roles = tuple(data.get("roles") or ())
    if not roles or set(roles) - set(ROLES):
        raise ValueError(f"roles must list roles from {', '.join(ROLES)}")
    if not str(data.get("source", "")).strip():
        raise ValueError("source must name the published version this method follows")
    raw_phases = data.get("phases") or []
    if not raw_phases:
        raise ValueError("a method needs at least one phase")
    phases = tuple(_phase(p, n) for n, p in enumerate(raw_phases, start=1))
    ids = [p.id for p in phases]
    if len(set(ids)) != len(ids):
        raise ValueError("phase ids must be unique within a method")
    if not phases[-1].closing or phases[-1].who != "owner":
        raise ValueError("the last phase must be the case owner's closing (closing = true)")
    return Method(
        id=expected_id,
        name=_text(data.get("name"), "name"),
        summary=_text(data.get("summary"), "summary"),
        suits=suits,
        roles=roles,
        source=str(data["source"]),
        phases=phases,
    )


def load_method(path: Path) -> Method:
    try:
        with path.open("rb") as handle:
            return parse_method(tomllib.load(handle), path.stem)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise MethodError(f"method file {path.name}: {exc}") from exc


def load_library(folder: Path = LIBRARY) -> dict[str, Method]:
    loaded = [load_method(path) for path in sorted(folder.glob("*.toml"))]
    if not loaded:
        raise MethodError(f"no method files in {folder}")
    return {method.id: method for method in loaded}


@cache
def methods() -> dict[str, Method]:
    return load_library()


def suggestions(kind: str) -> list[Method]:
    """The methods that fit a kind of case, the ones made for it first."""
    return sorted(
        (m for m in methods().values() if kind in m.suits), key=lambda m: m.suits.index(kind)
    )


def estimated_minutes(method_id: str | None) -> int:
    method = methods().get(method_id or "")
    return method.minutes if method else DEFAULT_CASE_MINUTES
