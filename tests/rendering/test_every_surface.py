"""One check over every surface (tests/rendering/surfaces.py), in Dutch and in English, in each
story:
Slack takes every message and view (Block Kit's rules and limits), and nothing on any surface,
in Slack, on paper or on a web page, reads wrong: the bot's markup shown escaped, a placeholder
left unfilled, a plural in brackets, a time that is not the members' clock time. The catalogues
hold no text that nothing shows (tests/rendering/test_i18n.py: each text in both languages)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import bot.pages
import rendering
from rendering.attendance_papers import proof_pdf
from rendering.i18n import LANGUAGES, Translator, catalogue
from tests.rendering.surfaces import FILES, MESSAGES, PAGES, STORIES, VIEWS, Story, pdf_text, proof
from tests.slackkit.blockkit import message_problems, view_problems
from tests.slackkit.reading import misread, misread_file

ROOT = Path(__file__).resolve().parents[2]
# Builders of a part of a surface, checked through the surfaces that use them.
PARTS = {"blocks", "forms", "attendance_messages.record_blocks", "case_modal.method_options"}
# A picture's words are read from the figure it is drawn from.
DRAWN = {"review_chart.review_chart": "review_chart.review_figure"}


def typed(story: Story) -> list[str]:
    return [story.group, story.title, story.typed, story.person]


def _public(module: object) -> list[tuple[str, inspect.Signature]]:
    return [
        (name, inspect.signature(function))
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == getattr(module, "__name__", "") and not name.startswith("_")
    ]


def builders() -> tuple[set[str], set[str]]:
    """Every public function in rendering/ that makes a whole message or view, and every one
    that makes a file (bytes, or a text whose name says it is a whole file)."""
    surfaces, files = set(), set()
    for info in pkgutil.iter_modules(rendering.__path__):
        if info.name in PARTS:
            continue
        module = importlib.import_module(f"rendering.{info.name}")
        for name, signature in _public(module):
            made = signature.return_annotation
            if f"{info.name}.{name}" in PARTS:
                continue
            if made == "dict[str, Any]":
                surfaces.add(f"{info.name}.{name}")
            elif made == "bytes" or (made == "str" and name.endswith(("_csv", "_markdown"))):
                files.add(DRAWN.get(f"{info.name}.{name}", f"{info.name}.{name}"))
            elif made == "str" and name == "review_text":
                files.add(f"{info.name}.{name}")
    return surfaces, files


def test_every_surface_the_bot_makes_is_checked_here() -> None:
    surfaces, files = builders()
    assert surfaces == set(MESSAGES) | set(VIEWS)
    assert files <= set(FILES)
    pages = {name for name, _ in _public(bot.pages) if name.endswith("_page")}
    assert pages == set(PAGES)


each_story = pytest.mark.parametrize("story", STORIES, ids=lambda s: s.name)
each_language = pytest.mark.parametrize("language", LANGUAGES)


@each_story
@each_language
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_message_is_taken_by_slack_and_reads_right(
    name: str, language: str, story: Story
) -> None:
    message = MESSAGES[name](Translator(language), story)

    assert message_problems(message) == []
    assert misread(message, typed(story)) == []
    assert message.get("text"), "a message needs its notification text"


@each_story
@each_language
@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_is_taken_by_slack_reads_right_and_no_title_is_cut(
    name: str, language: str, story: Story
) -> None:
    view = VIEWS[name](Translator(language), story)

    assert view_problems(view) == []
    assert misread(view, typed(story)) == []
    cut = [
        part for part in ("title", "submit", "close") if part in view and "…" in view[part]["text"]
    ]
    assert not cut, f"{cut} must fit in Slack's 24 characters as written, not be cut"


@each_story
@each_language
@pytest.mark.parametrize("name", sorted(FILES))
def test_every_file_reads_right(name: str, language: str, story: Story) -> None:
    text = FILES[name](Translator(language), story)

    assert text.strip()
    assert misread_file(text, typed(story)) == []


@each_story
@each_language
@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_web_page_reads_right(name: str, language: str, story: Story) -> None:
    page = PAGES[name](Translator(language), story)

    assert misread_file(page, typed(story), page=True) == []


def test_what_people_typed_shows_as_they_typed_it_everywhere() -> None:
    story = STORIES[2]  # a group name with "&" and "<b>", a text with <@U0ANNA> and <!here>
    tr = Translator("en")

    panel = MESSAGES["group_panel.group_panel"](tr, story)
    assert panel["blocks"][0]["text"]["text"].startswith("Café Zoë & Jäger <b>")  # plain text
    assert "Café Zoë &amp; Jäger &lt;b&gt;" in panel["text"]  # mrkdwn
    thread = str(MESSAGES["case_lines.thread_post"](tr, story))
    assert "&lt;@U0ANNA&gt;" in thread and "&lt;!here&gt;" in thread
    assert "<@U0ANNA>" not in thread and "<!here>" not in thread
    assert story.typed in FILES["privacy_messages.export_markdown"](tr, story)
    assert "Café Zoë & Jäger <b>" in pdf_text(proof_pdf(tr, proof(story), "ABCD" * 4, None))


@pytest.mark.parametrize(
    ("story", "clock"),
    [(STORIES[2], "03:30"), (STORIES[3], "02:30")],
    ids=["clocks-forward", "clocks-back"],
)
def test_a_meeting_on_the_night_the_clocks_change_shows_the_members_clock_time(
    story: Story, clock: str
) -> None:
    tr = Translator("nl")
    announced = MESSAGES["meeting_announcement.announcement"](tr, story)
    history = FILES["attendance_files.history_csv"](tr, story)
    paper = FILES["attendance_papers.proof_pdf"](tr, story)

    assert f"{story.start:%Y-%m-%d} {clock} (Europe/Amsterdam)" in str(announced["blocks"])
    assert f",{clock}," in history
    assert clock in paper


@pytest.mark.parametrize(
    ("key", "counts"),
    [
        (
            "counted.meeting",
            {"en": ["0 intervisie meetings", "1 intervisie meeting", "2 intervisie meetings"]},
        ),
        ("counted.case", {"nl": ["0 casussen", "1 casus", "2 casussen"]}),
    ],
)
def test_counts_read_as_each_language_counts(key: str, counts: dict[str, list[str]]) -> None:
    for language, said in counts.items():
        tr = Translator(language)  # type: ignore[arg-type]
        assert [tr.text(key, count=n) for n in (0, 1, 2)] == said


# Keys used by the convention of `rendering.blocks.confirm_dialog`: `{keys}_title/_yes/_no`.
CONFIRM_PARTS = ("_title", "_yes", "_no")
PLURAL_FORM = re.compile(r"\.(zero|one|two|few|many|other)$")


def strings_in_code() -> tuple[set[str], set[str]]:
    """Every string the code holds, and the fixed start of every f-string (a key made of a
    prefix and a value, like f"case.status.{status}")."""
    whole, starts = set(), set()
    for floor in ("bot", "handlers", "usecases", "rendering"):
        for path in (ROOT / floor).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    whole.add(node.value)
                elif isinstance(node, ast.JoinedStr) and node.values:
                    first = node.values[0]
                    if isinstance(first, ast.Constant) and "." in str(first.value):
                        starts.add(str(first.value))
    return whole, starts


def used(key: str, whole: set[str], starts: set[str]) -> bool:
    if key in whole or any(key.startswith(start) for start in starts):
        return True
    family, _, _ = key.rpartition(".")
    # A prefix passed on: explain(..., "poll.answer") shows "poll.answer.closed".
    if "." in family and family in whole:
        return True
    return any(key.endswith(part) and key[: -len(part)] in whole for part in CONFIRM_PARTS)


def test_every_text_in_the_catalogues_is_shown_somewhere() -> None:
    whole, starts = strings_in_code()
    keys = {PLURAL_FORM.sub("", key) for key in catalogue("en")}

    assert sorted(key for key in keys if not used(key, whole, starts)) == []


def test_the_check_for_unused_texts_sees_one() -> None:
    whole, starts = {"help.title", "home", "poll.answer", "run.end"}, {"case.status."}
    assert used("case.status.open", whole, starts)
    assert used("poll.answer.closed", whole, starts)
    assert used("run.end_yes", whole, starts)
    assert not used("home.how", whole, starts)
