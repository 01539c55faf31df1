"""The Dutch and English catalogues say the same things."""

from __future__ import annotations

import re

import pytest
from babel import Locale

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


def test_no_text_hedges_its_plural_with_brackets() -> None:
    for language in ("nl", "en"):
        for key, text in catalogue(language).items():
            assert not re.search(r"\w\((s|n|en|sen|men|ken)\)", text), (language, key, text)


def test_every_text_with_a_count_has_each_form_its_language_needs() -> None:
    for language in ("nl", "en"):
        texts = catalogue(language)
        counted = {key.rsplit(".", 1)[0] for key in texts if key.endswith(".other")}
        assert counted, "plural texts are found"
        for key in counted:
            forms = {k.rsplit(".", 1)[1] for k in texts if k.rsplit(".", 1)[0] == key}
            assert forms == set(Locale.parse(language).plural_form.tags) | {"other"}, key


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", ["0 votes: x", "1 vote: x", "2 votes: x"]),
        ("nl", ["0 stemmen: x", "1 stem: x", "2 stemmen: x"]),
    ],
)
def test_counts_take_their_language_s_plural_forms(language: str, said: list[str]) -> None:
    tr = Translator(language)  # type: ignore[arg-type]
    assert [tr.t("case.votes", count=n, people="x") for n in (0, 1, 2)] == said
    assert tr.text("counted.case", count=1) == ("1 case" if language == "en" else "1 casus")
