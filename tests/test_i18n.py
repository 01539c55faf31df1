"""The Dutch and English catalogues say the same things."""

from __future__ import annotations

import pytest

from rendering.followup_messages import evaluation_results
from rendering.i18n import Translator, catalogue, language_for, placeholders


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
        ("en-US", "nl", "en"),
        ("nl-NL", "en", "nl"),
        ("de-DE", "nl", "nl"),
        (None, "nl", "nl"),
    ],
)
def test_what_a_person_reads_alone_is_in_their_slack_language_when_we_speak_it(
    locale: str | None, group: str | None, expected: str
) -> None:
    assert language_for(locale, group) == expected


def test_placeholders_are_filled_in() -> None:
    assert "`/intervisie dans`" in Translator("nl").t("help.unknown", word="dans")


def test_numbers_follow_the_reader_s_language() -> None:
    nl = evaluation_results(Translator("nl"), "Noord", 4.0, 13 / 3, 3, [])
    en = evaluation_results(Translator("en"), "Noord", 4.0, 13 / 3, 3, [])

    assert "3 antwoorden · veiligheid 4,0 / 5 · nut 4,3 / 5" in nl["blocks"][1]["text"]["text"]
    assert "3 answers · safety 4.0 / 5 · usefulness 4.3 / 5" in en["blocks"][1]["text"]["text"]
