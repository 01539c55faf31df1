"""Shared 'given' steps for the stories: a group that exists, a meeting that is planned."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from methods.cases import CaseFields
from methods.groups import GroupFields
from storage.cases import add_case
from storage.groups import get_group, save_group
from storage.models import Meeting
from storage.people import remember_person
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD, PEOPLE

RULES = "What is shared here stays here.\nWe let each other finish."


def given_group(
    db: sessionmaker[Session],
    now: datetime,
    *,
    channel: str = NOORD,
    members: tuple[str, ...] = (ANNA, BRAM, CHLOE, DEV),
    **overrides: Any,
) -> int:
    values: dict[str, Any] = {
        "name": "Noord",
        "member_ids": members,
        "facilitator_id": None,
        "cadence_weeks": 8,
        "meeting_minutes": 120,
        "language": "en",
        "timezone": "Europe/Amsterdam",
        "ground_rules": RULES,
    }
    values.update(overrides)
    with db.begin() as session:
        group = save_group(session, channel, GroupFields(**values), now, team_id=TEAM_ID)
        group.welcome_ts = "1690000000.000100"
        for member in members:  # setting a group up looks its people up in Slack
            person = PEOPLE.get(member)
            if person is not None:
                remember_person(
                    session,
                    TEAM_ID,
                    member,
                    person.locale,
                    person.tz,
                    person.name.title(),
                    now,
                    TEAM_ID,
                )
        return group.id


def open_modal(bot: Bot, user: str, text: str, channel: str = NOORD) -> dict[str, Any]:
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.command(user, channel, text)
    view: dict[str, Any] = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    return view


def schedule(bot: Bot, user: str, start: datetime, **changes: Any) -> Any:
    view = open_modal(bot, user, "schedule")
    return bot.slack.submit(user, view, fill(view, start=start, **changes))


def given_a_case_for_the_meeting(
    bot: Bot, group_id: int, start: datetime, owner: str, case: CaseFields
) -> int:
    """Anna plans the group's meeting at `start`, and `owner` brings in `case` for it."""
    schedule(bot, ANNA, start)
    bot.fake.wait_for("files.completeUploadExternal")
    with bot.db.begin() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
        group = get_group(session, group_id)
        assert group is not None
        add_case(session, group, meeting_id, owner, case, bot.clock())
        return meeting_id
