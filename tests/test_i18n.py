"""The Dutch and English catalogues say the same things."""

from __future__ import annotations

import pytest

from bot.i18n import Translator, catalogue, language_for, placeholders


def test_both_catalogues_have_the_same_texts_with_the_same_placeholders() -> None:
    dutch, english = catalogue("nl"), catalogue("en")

    assert dutch.keys() == english.keys()
    for key in english:
        assert placeholders(dutch[key]) == placeholders(english[key]), key


@pytest.mark.parametrize(
    ("locale", "group", "expected"),
    [
        ("nl-NL", None, "nl"),
        ("nl-BE", None, "nl"),
        ("en-GB", None, "en"),
        ("de-DE", None, "en"),
        (None, None, "en"),
        ("en-US", "nl", "nl"),
        ("nl-NL", "en", "en"),
    ],
)
def test_the_language_follows_the_slack_locale_until_the_group_chooses(
    locale: str | None, group: str | None, expected: str
) -> None:
    assert language_for(locale, group) == expected


def test_placeholders_are_filled_in() -> None:
    assert "`/intervisie dans`" in Translator("nl").t("help.unknown", word="dans")
