"""A member's data is theirs: an export by DM, and being forgotten without touching others' data."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from storage.cases import add_case
from storage.meetings import claim_delivery, record_delivery
from storage.models import Case, CaseRun, Contribution, Evaluation, Group, GroupMember, Takeaway
from storage.runs import add_contribution
from tests.conftest import Bot
from tests.slackkit.people import ANNA, BRAM, CHLOE, NOORD
from tests.test_confidentiality import raw_database_text
from tests.test_followup import CASE, case_done, write_takeaways
from usecases.panel import refresh_panel

__all__ = ["case_done"]


def a_meeting_with_advice_on_both_sides(bot: Bot) -> None:
    """Anna advised Bram on his case, Bram advised Chloe on hers; both evaluated."""
    write_takeaways(bot, share=False)
    with bot.db.begin() as session:
        run_id = session.scalars(select(CaseRun.id)).one()
        add_contribution(session, run_id, "advice", ANNA, "Put it in writing.", bot.clock())
        group = session.scalars(select(Group)).one()
        run = session.get(CaseRun, run_id)
        assert run is not None
        chloe = add_case(session, group, run.meeting_id, CHLOE, CASE, bot.clock())
        chloe.title = "Chloe's own case"
        chloes_run = CaseRun(
            meeting_id=run.meeting_id, case_id=chloe.id, position=2, method_id="incident"
        )
        session.add(chloes_run)
        session.flush()
        add_contribution(session, chloes_run.id, "advice", BRAM, "Ask for help.", bot.clock())
        session.add(
            Evaluation(
                meeting_id=run.meeting_id,
                user_id=ANNA,
                safety=5,
                usefulness=5,
                created_at=bot.clock(),
            )
        )
        session.add(
            Evaluation(
                meeting_id=run.meeting_id,
                user_id=BRAM,
                safety=4,
                usefulness=4,
                remark="Bram's remark",
                created_at=bot.clock(),
            )
        )


def uploaded(bot: Bot, title: str) -> str:
    """The content of the file with this title that was sent to Bram's DM."""
    [complete] = bot.fake.wait_for(
        "files.completeUploadExternal", lambda c: c.get("channel_id") == "D0BRAM"
    )
    [file_id] = [f["id"] for f in complete["files"] if f["title"] == title]
    return bot.fake.uploads[file_id].decode()


def test_bram_gets_everything_stored_about_him_by_dm(case_done: Bot) -> None:
    bot = case_done
    a_meeting_with_advice_on_both_sides(bot)

    bot.slack.command(BRAM, NOORD, "export")

    [coming] = bot.fake.wait_for("response_url")
    assert "Ik stuur je een direct bericht" in coming.all_text
    [complete] = bot.fake.wait_for(
        "files.completeUploadExternal", lambda c: c.get("channel_id") == "D0BRAM"
    )
    assert "Alleen jij" in complete["initial_comment"]
    data: dict[str, Any] = json.loads(uploaded(bot, "Je intervisiegegevens (JSON)"))
    assert data["user_id"] == BRAM
    assert [c["situation"] for c in data["cases"]] == [CASE.situation]
    assert [t["goal"] for t in data["takeaways"]] == ["Agree deadlines in writing"]
    assert [e["remark"] for e in data["evaluations"]] == ["Bram's remark"]
    assert [g["name"] for g in data["groups"]] == ["Noord"]
    assert [c["text"] for c in data["contributions"]] == ["Ask for help."]
    assert "Put it in writing." not in json.dumps(data), "Anna's advice is hers"
    readable = uploaded(bot, "Je intervisiegegevens")
    assert "## Je leerpunten en doelen" in readable
    assert "goal: Agree deadlines in writing" in readable
    assert not [c for c in bot.fake.messages_in(NOORD) if "Agree deadlines" in c.all_text]


def counts(bot: Bot) -> dict[str, int]:
    with bot.db() as session:
        return {
            "cases": session.scalar(select(func.count(Case.id))) or 0,
            "contributions": session.scalar(select(func.count(Contribution.id))) or 0,
            "takeaways": session.scalar(select(func.count(Takeaway.id))) or 0,
            "evaluations": session.scalar(select(func.count()).select_from(Evaluation)) or 0,
            "members": session.scalar(select(func.count()).select_from(GroupMember)) or 0,
        }


def test_bram_is_forgotten_after_confirming_and_the_others_keep_their_data(
    case_done: Bot,
) -> None:
    bot = case_done
    a_meeting_with_advice_on_both_sides(bot)
    assert counts(bot) == {
        "cases": 2,
        "contributions": 2,
        "takeaways": 1,
        "evaluations": 2,
        "members": 4,
    }

    bot.slack.command(BRAM, NOORD, "forget-me")

    [prompt] = bot.fake.wait_for("response_url")
    assert "je 1 casus met" in prompt.all_text and "Je verlaat je 1 groep." in prompt.all_text
    [button] = prompt["blocks"][1]["elements"]
    assert button["confirm"]["title"]["text"] == "Gegevens verwijderen?"
    assert counts(bot)["cases"] == 2, "nothing is deleted before the confirmation"

    bot.slack.click(BRAM, button["action_id"], button["value"], channel=NOORD, message_ts="9.1")

    [_prompt, done] = bot.fake.wait_for("response_url", count=2)
    assert "je gegevens zijn verwijderd" in done.all_text
    assert done["replace_original"] is True
    assert counts(bot) == {
        "cases": 1,
        "contributions": 0,
        "takeaways": 0,
        "evaluations": 1,
        "members": 3,
    }
    with bot.db() as session:
        assert session.scalars(select(Case.title)).one() == "Chloe's own case"
        assert session.scalars(select(Evaluation.user_id)).one() == ANNA
        assert BRAM not in session.scalars(select(Group)).one().member_ids


def test_a_forgotten_member_is_in_no_row_and_no_file_while_the_group_goes_on(
    case_done: Bot, database_url: str
) -> None:
    bot = case_done
    a_meeting_with_advice_on_both_sides(bot)
    with bot.db.begin() as session:  # the bot once asked him for a case, by DM
        claim_delivery(session, f"reminder:9:case_request:{BRAM}", bot.clock())
        record_delivery(session, f"reminder:9:case_request:{BRAM}", "D0BRAM", "1.000100")
    bot.slack.command(BRAM, NOORD, "forget-me")
    [button] = bot.fake.wait_for("response_url")[0]["blocks"][1]["elements"]
    bot.slack.click(BRAM, button["action_id"], button["value"], channel=NOORD, message_ts="9.1")
    bot.fake.wait_for("response_url", count=2)

    # The group goes on: its panel is shown again, members open the app's Home.
    with bot.db() as session:
        group_id = session.scalars(select(Group.id)).one()
    refresh_panel(bot.services, group_id)
    for member in (ANNA, CHLOE):
        bot.slack.event({"type": "app_home_opened", "user": member, "tab": "home"})
    bot.fake.wait_for("views.publish", count=2)

    stored = raw_database_text(bot, database_url)
    assert BRAM not in stored, "his id, in no row, key or database file"
    assert "Bram" not in stored, "his name neither"
