"""Stories about an asynchronous case: Noord's members live in Amsterdam and New York and cannot
meet live, so they work through Bram's case over eight days in its thread. The clock is the
test's; the case's timer fires when the scheduler would, and at other moments too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import jobs
from bot.app import create_services
from methods.working_hours import WorkingHours
from storage.models import CaseRun, Contribution, Takeaway
from tests.conftest import Bot, settings_for
from tests.slackkit.fake_slack import TEAM_ID, Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, DEV, NOORD
from tests.stories import given_a_case_for_the_meeting, given_group, open_modal
from tests.test_live_session import INCIDENT
from usecases.live.state import run_timers
from usecases.services import Timer

AMSTERDAM, NEW_YORK = ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/New_York")
HOURS = {ANNA: WorkingHours(AMSTERDAM), BRAM: WorkingHours(AMSTERDAM), DEV: WorkingHours(NEW_YORK)}


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


THURSDAY = utc(3, 14, 30)  # 15:30 in Amsterdam, 09:30 in New York: both at work


class Story:
    """The bot, and every message it posted with the moment (on the test's clock) it did."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.posts: list[tuple[datetime, Call]] = []

    def act(self, action: Callable[[], object]) -> list[Call]:
        seen = len(self.bot.fake.calls)
        action()
        new = [
            c for c in self.bot.fake.calls[seen:] if c.method == "chat.postMessage" and not c.failed
        ]
        self.posts += [(self.bot.clock(), c) for c in new]
        return new

    @property
    def run_id(self) -> int:
        with self.bot.db() as session:
            return session.scalars(select(CaseRun.id)).one()

    def next_moment(self) -> datetime | None:
        timer = run_timers(self.bot.services).get(self.run_id)
        return None if timer is None else timer.at

    def wake(self) -> list[Call]:
        """The scheduler's job fires at the case's next moment."""
        moment = self.next_moment()
        assert moment is not None
        self.bot.clock.set(max(moment, self.bot.clock()))
        return self.act(lambda: jobs.tick_run(TEAM_ID, self.run_id))

    def wake_at(self, moment: datetime) -> list[Call]:
        """The job fires at another moment (a retry, a restart)."""
        self.bot.clock.set(moment)
        return self.act(lambda: jobs.tick_run(TEAM_ID, self.run_id))

    def click(self, user: str, action_id: str) -> list[Call]:
        return self.act(
            lambda: self.bot.slack.click(
                user, action_id, str(self.run_id), channel=NOORD, message_ts="1"
            )
        )

    def add(self, user: str, text: str) -> None:
        before = len(self.bot.fake.calls_to("views.open"))
        self.click(user, "run_add")
        view = self.bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
        assert self.bot.slack.submit(user, view, fill(view, text=text)).body == ""

    def prompts(self) -> list[str]:
        return [c["text"] for _, c in self.posts if c["text"].startswith("Phase ")]


@pytest.fixture
def story(bot: Bot) -> Story:
    return a_story(bot)


def a_story(bot: Bot) -> Story:
    """Noord: Anna and Bram in Amsterdam, Dev in New York (09:00-17:00 on weekdays, set by
    himself). Bram brought in an incident for the meeting of Thursday 3 December."""
    group_id = given_group(bot.db, bot.clock(), members=(ANNA, BRAM, DEV), language="en")
    given_a_case_for_the_meeting(bot, group_id, THURSDAY, BRAM, INCIDENT)
    view = open_modal(bot, DEV, "hours")
    assert "America/New_York" in str(view)
    assert bot.slack.submit(DEV, view, fill(view)).body == ""
    jobs.install(bot.services)
    bot.clock.set(THURSDAY)
    return Story(bot)


def outside_working_hours(story: Story) -> list[str]:
    return [
        f"{moment:%a %H:%M} UTC: {call['text'][:40]}"
        for moment, call in story.posts
        if not all(hours.contains(moment) for hours in HOURS.values())
    ]


def test_a_case_runs_over_a_week_in_working_hours_only(story: Story) -> None:
    bot = story.bot
    story.act(lambda: bot.slack.command(ANNA, NOORD, "start async"))
    assert story.prompts() == ["Phase 1/6 · The incident (12 h)"]
    opening = next(c for _, c in story.posts if "has started" in c.all_text)
    assert "The cases run asynchronously" in opening.all_text
    assert not any("Attendance" in c.all_text for _, c in story.posts)

    # The incident ends at night (Friday 02:30): the information round opens on Friday afternoon.
    assert story.next_moment() == utc(4, 14)
    assert story.wake_at(utc(4, 3)) == []
    story.wake()
    assert story.prompts()[-1] == "Phase 2/6 · Information round (1 day)"

    # Its day ends on Saturday: nothing is posted over the weekend, the diagnosis opens Monday.
    assert story.next_moment() == utc(7, 14)
    assert story.wake_at(utc(5, 14)) == []
    assert story.wake_at(utc(6, 15)) == []
    story.wake()
    assert story.prompts()[-1] == "Phase 3/6 · Diagnosis (1 day)"
    assert bot.clock() == utc(7, 14)

    # Anna adds her thoughts; Bram cannot close the round while Dev's part is missing.
    bot.clock.set(utc(7, 14, 10))
    story.add(ANNA, "Maybe the client is under pressure too.")
    story.click(BRAM, "run_next")
    [refused] = bot.fake.wait_for("response_url", lambda c: "Nog niet iedereen" in c.all_text)
    assert refused["response_type"] == "ephemeral"

    # Before the round closes (Tuesday 14:00), Dev alone gets one reminder.
    assert story.next_moment() == utc(7, 15, 30)
    nudges = story.wake()
    assert [c["channel"] for c in nudges if c["channel"] != NOORD] == [DEV]
    assert "your part is not in yet" in nudges[-1].all_text
    assert "1 member has not added theirs yet" in nudges[0].all_text
    story.wake_at(utc(7, 15, 45))
    bot.clock.set(utc(8, 13))
    story.add(DEV, "It could be about who owns the planning.")
    closing = story.wake()
    assert bot.clock() == utc(8, 14)
    assert not [c for c in closing if "Contributions in" in c.all_text], "the prompt is edited"
    listed = next(
        c for c in bot.fake.calls_to("chat.update") if "Contributions in Diagnosis" in c.all_text
    )
    assert "• Maybe the client is under pressure too." in listed.all_text
    assert "• It could be about who owns the planning." in listed.all_text
    assert story.prompts()[-1] == "Phase 4/6 · Solutions (2 days)"

    # Everyone gave advice: Bram closes the round early.
    bot.clock.set(utc(8, 14, 30))
    story.add(ANNA, "Put the deadlines in the contract.")
    story.add(DEV, "Agree on deadlines in writing.")
    story.click(BRAM, "run_next")
    assert story.prompts()[-1] == "Phase 5/6 · The case owner chooses (12 h)"

    # Anna, the chair, gives Bram a day more; he closes the phase late in the evening, and the
    # closing phase is announced the next working afternoon.
    story.click(ANNA, "run_extend")
    assert story.next_moment() == utc(10, 14)
    bot.clock.set(utc(9, 20))
    assert story.click(BRAM, "run_next") == []
    assert story.next_moment() == utc(10, 14)
    story.wake()
    assert story.prompts()[-1] == "Phase 6/6 · Closing (12 h)"
    story.wake()
    assert bot.clock() == utc(11, 14)

    summary = next(c for _, c in story.posts if "Alles wat de groep je gaf" in c.all_text)
    assert summary["channel"] == BRAM
    assert "Agree on deadlines in writing." in summary.all_text
    assert any("Closing round: Noord" in c.all_text for _, c in story.posts)
    with bot.db() as session:
        assert session.scalars(select(Takeaway.owner_id)).all() == [BRAM]
        assert len(session.scalars(select(Contribution)).all()) == 4

    assert outside_working_hours(story) == []
    assert story.prompts() == [
        "Phase 1/6 · The incident (12 h)",
        "Phase 2/6 · Information round (1 day)",
        "Phase 3/6 · Diagnosis (1 day)",
        "Phase 4/6 · Solutions (2 days)",
        "Phase 5/6 · The case owner chooses (12 h)",
        "Phase 6/6 · Closing (12 h)",
    ]
    said = [(c["channel"], c["text"]) for _, c in story.posts]
    assert len(said) == len(set(said)), "nothing is posted twice"


def test_a_pending_phase_survives_a_restart(story: Story, database_url: str) -> None:
    bot = story.bot
    story.act(lambda: bot.slack.command(ANNA, NOORD, "start async"))
    due = story.next_moment()

    restarted = create_services(settings_for(bot.fake, database_url), bot.db, bot.clock)
    jobs.install(restarted)

    assert run_timers(restarted) == {story.run_id: Timer(TEAM_ID, due)}
    story.wake()
    story.wake_at(utc(4, 14, 5))  # the old process's job fires too: nothing twice
    assert story.prompts() == [
        "Phase 1/6 · The incident (12 h)",
        "Phase 2/6 · Information round (1 day)",
    ]


def test_start_knows_only_live_and_async(story: Story) -> None:
    bot = story.bot
    bot.slack.command(ANNA, NOORD, "start later")
    [reply] = bot.fake.wait_for("response_url", lambda c: "start async" in c.all_text)
    assert '"later" ken ik niet.' in reply.all_text  # Anna reads Dutch
    with bot.db() as session:
        assert session.scalars(select(CaseRun)).all() == []


def test_working_hours_that_make_no_sense_are_refused_field_by_field(story: Story) -> None:
    bot = story.bot
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.command(DEV, NOORD, "hours")
    view = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]

    reply = bot.slack.submit(
        DEV, view, fill(view, work_start="17:00", work_end="09:00", work_days=[])
    )

    assert reply.json["errors"] == {
        "work_end": "Choose an end after the start.",
        "work_days": "Choose at least one working day.",
    }


def test_a_case_started_before_working_hours_opens_when_everyone_is_at_work(story: Story) -> None:
    bot = story.bot
    bot.clock.set(utc(3, 7))  # 08:00 in Amsterdam, 02:00 in New York

    story.act(lambda: bot.slack.command(ANNA, NOORD, "start async"))

    assert story.prompts() == []
    assert story.next_moment() == utc(3, 14)  # 15:00 in Amsterdam, 09:00 in New York
    story.wake()
    assert story.prompts() == ["Phase 1/6 · The incident (12 h)"]
    assert story.next_moment() == utc(4, 14)  # the phase keeps its twelve hours and more
