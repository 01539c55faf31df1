"""Stories about the group's year in one picture: what the chart and its words show, that the
evaluation's anonymity holds in it, and that it reaches the group on request and once a year."""

from __future__ import annotations

import struct
import warnings
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot import jobs
from methods.review import HeldMeeting, YearReview, averages, goal_counts, review_due
from rendering.i18n import Translator
from rendering.review_chart import review_chart, review_figure, review_text
from storage.models import Evaluation, Group
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, EVA, NOORD, OSCAR
from tests.test_attendance import held, meeting_day, meeting_id

__all__ = ["held", "meeting_day"]  # the fixtures, shared with the attendance stories
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EN, NL = Translator("en"), Translator("nl")
GOALS = goal_counts(["achieved", "achieved", "partly", "irrelevant", "asked"])


def a_year(*meetings: HeldMeeting) -> YearReview:
    return YearReview("Noord", 2026, meetings, GOALS)


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_a_meetings_averages_exist_only_from_three_answers() -> None:
    assert averages([(5, 4), (4, 4)]) == (None, None)
    assert averages([(5, 4), (4, 4), (3, 5)]) == (4.0, 4.3)
    assert GOALS == (("achieved", 2), ("partly", 1), ("not_yet", 0), ("irrelevant", 1))


def test_the_review_is_due_from_december_once_no_meeting_is_to_come() -> None:
    november = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # 23:00 in Amsterdam
    december = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 December there

    assert review_due(november, AMSTERDAM, 0) is None
    assert review_due(december, AMSTERDAM, 0) == 2026
    assert review_due(december, AMSTERDAM, 1) is None, "the last meeting of the year comes first"
    assert review_due(december, ZoneInfo("America/New_York"), 0) is None


def test_the_picture_of_a_year_with_meetings_and_its_words_say_the_same() -> None:
    year = a_year(
        HeldMeeting(date(2026, 2, 3), 95, 4, 5, 4.3, 4.0),
        HeldMeeting(date(2026, 4, 1), 120, 5, 5, None, None),  # only 2 answers
        HeldMeeting(date(2026, 6, 2), 90, 3, 5, 4.7, 3.7),
    )

    png = review_chart(NL, year)
    figure = review_figure(EN, year)
    words = review_text(EN, year)

    assert 600 <= png_size(png)[0] <= 2000 and 600 <= png_size(png)[1] <= 2000
    assert 10_000 < len(png) < 500_000
    timeline, scores, goals = figure.axes
    assert [bar.get_height() for bar in timeline.patches] == [95, 120, 90]
    assert [len(line.get_xydata()) for line in scores.lines] == [2, 2], "April is not drawn"
    assert [bar.get_width() for bar in goals.patches] == [2, 1, 0, 1]
    assert words.splitlines() == [
        "Noord in 2026",
        "3 meetings, 5 h 5 min in total.",
        "• February 3, 2026: 95 min, 4 of 5 present. How safe 4.3, how useful 4.0.",
        "• April 1, 2026: 120 min, 5 of 5 present.",
        "• June 2, 2026: 90 min, 3 of 5 present. How safe 4.7, how useful 3.7.",
        "Averages are shown only for meetings at least 3 members evaluated.",
        "Goals: Achieved: 2, Partly: 1, Not yet: 0, No longer relevant: 1.",
    ]


def test_a_year_without_meetings_still_makes_a_picture_that_says_so() -> None:
    empty = YearReview("Noord", 2025, (), goal_counts([]))

    png = review_chart(EN, empty)
    words = review_text(NL, empty)

    assert png_size(png) == png_size(review_chart(EN, a_year()))
    assert [axes.texts[0].get_text() for axes in review_figure(EN, empty).axes] == [
        "No meetings recorded in 2025.",
        "No meeting had at least 3 evaluation answers.",
        "No goals followed up yet.",
    ]
    assert "Geen bijeenkomsten vastgelegd in 2025." in words


def evaluated_by(bot: Bot, *members: str) -> None:
    with bot.db.begin() as session:
        for member in members:
            session.add(
                Evaluation(
                    meeting_id=meeting_id(bot),
                    user_id=member,
                    safety=5,
                    usefulness=4,
                    remark="SECRET-REMARK",
                    created_at=bot.clock(),
                )
            )


def reviews(bot: Bot) -> list[Call]:
    return [
        c
        for c in bot.fake.calls_to("files.completeUploadExternal")
        if any(f["title"] == "Noord in 2026" for f in c["files"])
    ]


def review_upload(bot: Bot, count: int = 1) -> Call:
    return bot.fake.wait_for(
        "files.completeUploadExternal",
        lambda c: any(f["title"] == "Noord in 2026" for f in c["files"]),
        count,
    )[count - 1]


def test_a_member_asks_for_the_review_and_the_group_sees_it_in_the_channel(held: Bot) -> None:
    bot = held
    evaluated_by(bot, ANNA, BRAM)  # two answers: no averages

    bot.slack.command(CHLOE, NOORD, "review 2026")

    posted = review_upload(bot)
    assert posted["channel_id"] == NOORD
    comment = posted["initial_comment"]
    assert "1 meeting, 1 h 35 min in total." in comment
    assert "December 1, 2026: 95 min, 3 of 4 present." in comment and "How safe" not in comment
    assert "SECRET" not in comment and "deadline" not in comment.lower()
    [upload] = [c for c in bot.fake.calls_to("files.getUploadURLExternal")][-1:]
    assert upload["alt_txt"].startswith("Noord in 2026")
    png = bot.fake.uploads[posted["files"][0]["id"]]
    assert png_size(png)[0] > 0
    [answer] = bot.fake.wait_for("response_url", lambda c: "review of 2026" in c.all_text)
    assert answer["response_type"] == "ephemeral"


def test_with_three_answers_the_averages_show_and_the_panel_posts_it_too(held: Bot) -> None:
    bot = held
    evaluated_by(bot, ANNA, BRAM, DEV)
    with bot.db() as session:
        group_id = session.scalars(select(Group.id)).one()

    bot.slack.click(DEV, "panel:review", str(group_id), channel=NOORD, message_ts="1")
    bot.slack.click(DEV, "home_review", str(group_id))

    assert "How safe 5.0, how useful 4.0." in review_upload(bot)["initial_comment"]
    assert review_upload(bot, 2)["channel_id"] == NOORD


def test_outsiders_and_bad_years_get_an_explanation_and_nothing_is_posted(held: Bot) -> None:
    bot = held

    bot.slack.command(OSCAR, NOORD, "review")
    bot.slack.command(CHLOE, NOORD, "review twenty")

    refused, bad = bot.fake.wait_for("response_url", count=2)
    assert "Only its members" in refused.all_text
    assert "Give a year, like `/intervisie review 2026`" in bad.all_text
    assert reviews(bot) == []


@pytest.mark.parametrize("facilitator", [EVA, None], ids=["to the facilitator", "to the channel"])
def test_after_the_last_meeting_of_the_year_the_review_comes_once(
    held: Bot, facilitator: str | None
) -> None:
    bot = held
    with bot.db.begin() as session:
        session.execute(update(Group).values(facilitator_id=facilitator))
    bot.clock.advance(timedelta(hours=2))  # 1 December, the meeting is over

    jobs.send_year_reviews()
    jobs.send_year_reviews()

    posted = review_upload(bot)
    assert posted["channel_id"] == ("D0EVA" if facilitator else NOORD)
    assert len([c for c in bot.fake.calls_to("files.completeUploadExternal") if c is posted]) == 1
    assert (
        len(
            [
                c
                for c in bot.fake.calls_to("files.completeUploadExternal")
                if any(f["title"] == "Noord in 2026" for f in c["files"])
            ]
        )
        == 1
    )


def test_a_group_name_with_an_emoji_draws_without_a_word_on_stderr() -> None:
    review = YearReview(
        "Noord 🌱", 2026, (HeldMeeting(date(2026, 3, 1), 120, 4, 5, None, None),), ()
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib would warn of the missing glyph
        png = review_chart(Translator("en"), review)

    assert png.startswith(b"\x89PNG")
