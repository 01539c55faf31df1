"""The translation layer: Dutch and English catalogues, chosen by Slack locale or group setting."""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from rendering.markup import Mrkdwn, fmt, unescape

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
LOCALES = Path(__file__).with_name("locales")


def language_for(locale: str | None, group_language: str | None = None) -> Language:
    """The language of what one person sees alone (DMs, App Home, the modals they open, answers
    only they see, their proof): their own Slack language when it is one we speak, else their
    group's, else English. What the group sees together is in the group's language."""
    own = (locale or "").lower()[:2]
    if own in LANGUAGES:
        return "nl" if own == "nl" else "en"
    if group_language in LANGUAGES:
        return "nl" if group_language == "nl" else "en"
    return "en"


def preferred_language(accept_language: str | None) -> Language:
    """The language a browser asks for first (HTTP Accept-Language), of Dutch and English;
    English when it asks for neither."""
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, "nl" if primary == "nl" else "en"))
    return min(ranked)[2] if ranked else "en"


def _flatten(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(language: Language) -> dict[str, str]:
    with (LOCALES / f"{language}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@dataclass(frozen=True)
class Translator:
    """Texts for one language; `t("help.title", name=...)` fills in the placeholders."""

    language: Language

    def t(self, key: str, **params: object) -> Mrkdwn:
        """The text as Slack markup: every parameter is escaped unless it is bot-made markup.
        A text with plural forms takes the one its `count` asks for."""
        return fmt(self._template(key, params.get("count")), **params)

    def text(self, key: str, **params: object) -> str:
        """The text as people read it, for files and plain_text fields: nothing is escaped."""
        return self._template(key, params.get("count")).format(
            **{k: unescape(v) if isinstance(v, str) else v for k, v in params.items()}
        )

    def date(self, value: date) -> str:
        """A day as this language writes it in full: 1 december 2026, December 1, 2026."""
        return format_date(value, format="long", locale=self.language)

    def decimal(self, value: float, places: int = 1) -> str:
        """A number as this language writes it: 4,3 in Dutch, 4.3 in English."""
        return format_decimal(value, format="0." + "0" * places, locale=self.language)

    def _template(self, key: str, count: object = None) -> str:
        """The text under `key`; for a text with plural forms (`key.one`, `key.other`...), the
        form this language's rules (CLDR, through Babel) give for `count`."""
        for language in (self.language, "en"):
            texts = catalogue(language)
            if key in texts:
                return texts[key]
            if f"{key}.other" in texts:
                if not isinstance(count, int):
                    raise TypeError(f"the text {key} has plural forms: give it a whole `count`")
                form = Locale.parse(language).plural_form(count)
                return texts.get(f"{key}.{form}", texts[f"{key}.other"])
        raise KeyError(key)
