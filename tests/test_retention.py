"""A discussed case's content is deleted a set time after its meeting; titles and counts stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import jobs
from storage.models import Case, CaseRun, Contribution, Evaluation, Group, Takeaway
from storage.runs import add_contribution
from tests.conftest import Bot
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, NOORD
from tests.test_followup import DEC_1, case_done, evaluate, fire, write_takeaways

__all__ = ["case_done"]


def set_retention(bot: Bot, days: str) -> str:
    bot.slack.command(ANNA, NOORD, "group")
    summary = bot.fake.wait_for("response_url")[-1]
    edit = next(b for b in summary["blocks"] if b["type"] == "actions")["elements"][0]
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.click(ANNA, edit["action_id"], edit["value"], channel=NOORD)
    view = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    return bot.slack.submit(ANNA, view, fill(view, retention_days=days)).body


def advice_was_given(bot: Bot) -> None:
    with bot.db.begin() as session:
        run_id = session.scalars(select(CaseRun.id)).one()
        add_contribution(session, run_id, "advice", ANNA, "Put it in writing.", bot.clock())


def counts(bot: Bot) -> dict[str, int]:
    with bot.db() as session:
        return {
            "cases": session.scalar(select(func.count(Case.id))) or 0,
            "takeaways": session.scalar(select(func.count(Takeaway.id))) or 0,
            "evaluations": session.scalar(select(func.count()).select_from(Evaluation)) or 0,
        }


def test_the_group_chooses_how_long_case_content_is_kept(case_done: Bot) -> None:
    bot = case_done

    too_short = set_retention(bot, "3")
    assert "retention_days" in too_short
    assert set_retention(bot, "30") == ""

    with bot.db() as session:
        assert session.scalars(select(Group.retention_days)).one() == 30


def test_content_goes_after_the_retention_time_titles_and_counts_stay(case_done: Bot) -> None:
    bot = case_done
    advice_was_given(bot)
    write_takeaways(bot, share=False)
    bot.clock.set(DEC_1 + timedelta(hours=2))
    fire(bot, "evaluation")
    evaluate(bot, ANNA, "5", "4", "Felt safe.")
    set_retention(bot, "30")
    before = counts(bot)

    bot.clock.set(DEC_1 + timedelta(days=29))
    jobs.purge_expired_content()
    with bot.db() as session:
        assert session.scalars(select(Case.situation)).one() == "A client keeps moving deadlines."

    bot.clock.set(DEC_1 + timedelta(days=31))
    jobs.purge_expired_content()
    jobs.purge_expired_content()

    with bot.db() as session:
        case = session.scalars(select(Case)).one()
        takeaway = session.scalars(select(Takeaway)).one()
        evaluation = session.scalars(select(Evaluation)).one()
        assert (case.title, case.situation, case.question) == ("Deadlines", "", "")
        assert case.purged_at == DEC_1 + timedelta(days=31)
        assert (takeaway.case_title, takeaway.learned, takeaway.goal) == ("Deadlines", None, None)
        assert evaluation.remark is None and evaluation.safety == 5
        assert session.scalar(select(func.count(Contribution.id))) == 0
    assert counts(bot) == before
