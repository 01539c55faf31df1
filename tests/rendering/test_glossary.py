"""The catalogues keep to the glossary (rendering/locales/glossary.toml): each language calls
the things of intervisie by one name, and never by the words the glossary rules out."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from rendering.i18n import catalogue

GLOSSARY = Path(__file__).resolve().parents[2] / "rendering" / "locales" / "glossary.toml"


def terms() -> list[dict[str, object]]:
    with GLOSSARY.open("rb") as handle:
        found: list[dict[str, object]] = tomllib.load(handle)["term"]
    return found


def uses(texts: dict[str, str], word: str) -> list[str]:
    """The keys of the texts that use `word` or its plural (a whole word, any case)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(s|en|n)?(?![\w-])", re.IGNORECASE)
    return [key for key, text in texts.items() if pattern.search(text)]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_term_is_the_word_the_texts_use(language: str) -> None:
    texts = catalogue(language)  # type: ignore[arg-type]
    for term in terms():
        assert uses(texts, str(term[language])), term
        for word in term.get(f"not_{language}", []):  # type: ignore[attr-defined]
            assert uses(texts, word) == [], (
                f"{language}: '{word}' where the glossary says '{term[language]}'"
            )


def test_the_glossary_rules_out_what_a_translator_might_reach_for() -> None:
    assert uses({"a": "Have a good session!", "b": "Two sessions"}, "session") == ["a", "b"]
    assert uses({"a": "an obsession", "b": "session-less"}, "session") == [], "whole words"
