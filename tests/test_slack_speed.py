"""Slack at its real speed and within its limits: a workspace that Slack answers slowly, or
holds back with a 429, delays only its own prompts; the bot keeps each method's tier and each
channel's pace itself; and its calls go over connections kept alive."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from bot import jobs
from bot.limits import SHARE, TIER_PER_MINUTE, SlackLimits, Throttled
from storage.models import CaseRun, Group, Meeting
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID, Call, FakeSlack
from tests.slackkit.people import ANNA, BRAM, CHLOE, NOORD
from tests.stories import given_group
from tests.test_live_session import a_meeting_day, click, start_meeting, thread, tick
from tests.test_workspaces import (
    AMSTEL,
    BRUGGE,
    CHANNELS,
    FLOR,
    both_meeting,
    hosted,
    install,
    next_phase,
)

__all__ = ["hosted"]


def phase_two(fake: FakeSlack, team: str) -> list[Call]:
    """The prompts of the case's second phase that Slack took in the team's channel."""
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c["channel"] == CHANNELS[team] and c["text"].startswith("Phase 2/")
    ]


@pytest.fixture
def installed(hosted: Bot) -> tuple[Bot, Bot]:
    """Amstel and Brugge have installed the app; in each a meeting runs its first phase."""
    install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    install(hosted, BRUGGE, "Brugge Zorg", FLOR, "code-brugge")
    return both_meeting(hosted)


def running_run(bot: Bot, team: str) -> int:
    with bot.db() as session:
        return session.scalars(
            select(CaseRun.id)
            .join(Meeting, CaseRun.meeting_id == Meeting.id)
            .join(Group, Meeting.group_id == Group.id)
            .where(Group.team_id == team, CaseRun.status == "running")
        ).one()


def test_a_workspace_slack_holds_back_waits_alone_and_gets_its_prompt_once_after(
    installed: tuple[Bot, Bot],
) -> None:
    amstel, brugge = installed
    fake = amstel.fake
    fake.hold_workspace(AMSTEL, 2)

    next_phase(amstel, AMSTEL)
    next_phase(brugge, BRUGGE)

    fake.wait_for("chat.postMessage", lambda c: c in phase_two(fake, BRUGGE))
    assert phase_two(fake, AMSTEL) == [], "Amstel's prompt waits for Slack's Retry-After"
    refused = [c for c in fake.calls if c.failed and c.token in fake.tokens_of(AMSTEL)]
    assert [c.method for c in refused] == ["chat.postMessage"], "asked once, then held back"

    run_id = running_run(amstel, AMSTEL)
    deadline = time.monotonic() + 10
    while not phase_two(fake, AMSTEL):  # the case's retry timer, until Slack takes it again
        assert time.monotonic() < deadline, "Amstel's prompt never went out"
        jobs.tick_run(AMSTEL, run_id)
        time.sleep(0.2)
    fake.settle()
    assert len(phase_two(fake, AMSTEL)) == 1, "sent once"
    assert len([c for c in fake.calls if c.failed and c.token in fake.tokens_of(AMSTEL)]) <= 2
    assert fake.connections < len(fake.calls) / 3, "connections are kept alive and reused"


def test_a_workspace_slack_answers_slowly_holds_up_no_other_workspace(
    installed: tuple[Bot, Bot],
) -> None:
    amstel, brugge = installed
    fake = amstel.fake
    slow = fake.stall("chat.postMessage", lambda p: p.get("channel") == CHANNELS[AMSTEL], True)
    waiting = threading.Thread(target=next_phase, args=(amstel, AMSTEL))
    waiting.start()
    assert slow.reached.wait(10), "Amstel's prompt is on its way to Slack"

    next_phase(brugge, BRUGGE)

    fake.wait_for("chat.postMessage", lambda c: c in phase_two(fake, BRUGGE))
    assert waiting.is_alive(), "Brugge's prompt went out while Amstel's call still hangs"
    slow.released.set()
    waiting.join(10)
    assert len(phase_two(fake, AMSTEL)) == 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_methods_tier_is_kept_per_workspace() -> None:
    clock = Clock()
    limits = SlackLimits(clock=clock)
    for _ in range(int(TIER_PER_MINUTE[3] * SHARE)):  # leaving Slack's last few for the road
        limits.take("T1", "chat.update")

    with pytest.raises(Throttled) as refused:
        limits.take("T1", "chat.update")
    limits.take("T2", "chat.update")  # another workspace: its own minute
    limits.take("T1", "views.publish")  # another method: its own tier

    assert refused.value.wait == pytest.approx(60)
    clock.now += 60
    limits.take("T1", "chat.update")


def test_a_channel_takes_a_burst_then_about_a_message_a_second() -> None:
    clock = Clock()
    limits = SlackLimits(clock=clock)
    for _ in range(5):
        limits.take("T1", "chat.postMessage", "C1")

    with pytest.raises(Throttled):
        limits.take("T1", "chat.postMessage", "C1")
    limits.take("T1", "chat.postMessage", "C2")
    clock.now += 5
    limits.take("T1", "chat.postMessage", "C1")


def test_retry_after_holds_one_workspaces_method_alone() -> None:
    clock = Clock()
    limits = SlackLimits(clock=clock)

    limits.hold("T1", "chat.postMessage", 30)

    with pytest.raises(Throttled) as refused:
        limits.take("T1", "chat.postMessage", "C1")
    assert refused.value.wait == pytest.approx(30)
    limits.take("T2", "chat.postMessage", "C1")
    limits.take("T1", "chat.update")
    clock.now += 30
    limits.take("T1", "chat.postMessage", "C1")


def test_without_pacing_only_slacks_retry_after_holds_calls_back() -> None:
    clock = Clock()
    limits = SlackLimits(pacing=False, clock=clock)
    for _ in range(200):
        limits.take("T1", "chat.update")

    limits.hold("T1", "chat.update", 10)

    with pytest.raises(Throttled):
        limits.take("T1", "chat.update")


@pytest.mark.parametrize(
    ("member", "words"), [(CHLOE, "Slack asks us to slow down"), (ANNA, "rustiger aan")]
)
def test_a_member_whose_form_slack_holds_back_is_told_to_try_again(
    bot: Bot, member: str, words: str
) -> None:
    given_group(bot.db, bot.clock())  # its members' languages are known: Chloe reads English
    bot.fake.hold_workspace(TEAM_ID, 30)

    bot.slack.command(member, NOORD, "schedule")

    [answer] = bot.fake.wait_for("response_url")
    assert words in answer.all_text, answer.all_text
    assert answer["response_type"] == "ephemeral"
    [refused] = [c for c in bot.fake.calls if c.method == "views.open"]
    assert refused.failed, "Slack refused the form, and the bot did not ask again meanwhile"


def test_a_meeting_started_while_slack_holds_the_workspace_back_opens_once_it_may(
    bot: Bot,
) -> None:
    a_meeting_day(bot)
    bot.fake.hold_workspace(TEAM_ID, 3)
    held_until = time.time() + 3

    bot.slack.command(ANNA, NOORD, "start")

    def opening(call: Call) -> bool:
        return call.method == "chat.postMessage" and "has started" in call.all_text

    def panel(call: Call) -> bool:
        return call.method == "chat.update" and "the group's buttons" in call.all_text

    [opened] = bot.fake.wait_for("chat.postMessage", opening, timeout=15)
    assert opened.received_at >= held_until - 0.5, "the opening waited for Slack's Retry-After"
    bot.fake.wait_for("chat.update", panel)
    bot.fake.settle()
    assert [c.failed for c in bot.fake.calls if panel(c)] == [True, False], (
        "Slack refused the panel's update once; it came after the Retry-After"
    )
    assert len([c for c in bot.fake.calls_to("chat.postMessage") if opening(c)]) == 1
    owner_dms = [c for c in bot.fake.calls_to("chat.postMessage") if c["channel"] == BRAM]
    assert len(owner_dms) == 1, "the case owner's refused DM came too, once"


def test_an_edit_slack_refuses_over_its_limit_comes_a_moment_later_without_holding_up(
    bot: Bot,
) -> None:
    a_meeting_day(bot)
    start_meeting(bot)
    bot.fake.settle()
    bot.fake.hold_workspace(TEAM_ID, 1, "chat.update")  # edits wait a second or two

    tick(bot, 3)  # the heads-up: an edit of the phase's prompt, which Slack refuses

    [refused] = [c for c in bot.fake.calls if c.method == "chat.update" and c.failed]
    assert ":hourglass:" in refused.all_text
    tick(bot, 2)  # the next phase's prompt goes at once, the edit still waiting
    assert [c["text"][:8] for c in thread(bot)] == ["Phase 1/", "Phase 2/"]
    bot.fake.wait_for("chat.update", lambda c: ":hourglass:" in c.all_text)
    bot.fake.settle()
    assert len([c for c in bot.fake.calls_to("chat.update") if ":hourglass:" in c.all_text]) == 1


def test_a_case_s_status_slack_refuses_over_its_limit_follows_without_holding_up_the_prompt(
    bot: Bot,
) -> None:
    a_meeting_day(bot)
    start_meeting(bot)
    bot.fake.settle()
    bot.fake.hold_workspace(TEAM_ID, 1, "chat.update")  # edits wait a second or two

    click(bot, ANNA, "run_next")  # the chair moves on: the next prompt, and the case's status

    assert [c["text"][:8] for c in thread(bot)] == ["Phase 1/", "Phase 2/"]

    def status(call: Call) -> bool:
        return call.method == "chat.update" and "Case: Client who keeps" in call.all_text

    [refused] = [c for c in bot.fake.calls if status(c) and c.failed]
    [shown] = bot.fake.wait_for(
        "chat.update", lambda c: status(c) and c.received_at > refused.received_at
    )
    assert "Phase 2 of 6" in shown.all_text, "the status came once Slack allowed it"
