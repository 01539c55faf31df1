"""Stories about the live session: the bot chairs and keeps time while the group works through
a case, phase by phase, in a thread. The clock is the test's; timers fire as the scheduler would."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot import jobs
from methods.cases import CaseFields
from methods.library import methods
from rendering.i18n import Translator
from rendering.run_messages import RunFacts, phase_prompt
from storage.cases import add_case
from storage.groups import get_group
from storage.models import CaseRun, Contribution, Meeting
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID, Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD, OPEN, OSCAR
from tests.stories import given_a_case_for_the_meeting, given_group
from usecases.live.moving_on import tick_runs
from usecases.meetings import MeetingPlan, plan_meeting

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEC_1 = datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM)
INCIDENT = CaseFields(
    title="Client who keeps moving deadlines",
    situation="A client moved the deadline three times.",
    question="How do I set a boundary?",
    kind="incident",
    method="incident",
    urgency="high",
    link=None,
)


@pytest.fixture
def meeting_day(bot: Bot) -> Bot:
    return a_meeting_day(bot)


def a_meeting_day(bot: Bot) -> Bot:
    """Noord meets on 1 December; Bram brought in an incident. It is 19:30."""
    group_id = given_group(bot.db, bot.clock(), language="en")
    given_a_case_for_the_meeting(bot, group_id, DEC_1, BRAM, INCIDENT)
    jobs.install(bot.services)
    bot.clock.set(DEC_1)
    return bot


def start_meeting(bot: Bot, user: str = ANNA) -> Call:
    bot.slack.command(user, NOORD, "start")
    parent: Call = bot.fake.wait_for(
        "chat.postMessage", lambda c: "Case: Client who keeps moving deadlines" in c.all_text
    )[0]
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 1/"))
    return parent


def run_id(bot: Bot) -> int:
    """The case that is running now."""
    with bot.db() as session:
        return session.scalars(select(CaseRun.id).where(CaseRun.status == "running")).one()


def thread(bot: Bot) -> list[Call]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.get("thread_ts")]


def tick(bot: Bot, minutes: float) -> None:
    """Let method time pass, and let the scheduler wake the run."""
    bot.clock.advance(timedelta(minutes=minutes))
    jobs.tick_run(TEAM_ID, run_id(bot))


def prompts(bot: Bot) -> list[str]:
    return [c["text"] for c in thread(bot) if c["text"].startswith("Phase ")]


def at_the_solutions(bot: Bot) -> Bot:
    """The meeting started and its case has reached phase 4, Solutions, which collects advice."""
    start_meeting(bot)
    for minutes in (5, 15, 8):
        tick(bot, minutes)
    return bot


def click(bot: Bot, user: str, action_id: str) -> None:
    bot.slack.click(user, action_id, str(run_id(bot)), channel=NOORD, message_ts="1")


def test_starting_the_meeting_opens_it_and_the_first_case_begins(meeting_day: Bot) -> None:
    bot = meeting_day

    parent = start_meeting(bot)

    opening = bot.fake.wait_for("chat.postMessage", lambda c: "has started" in c.all_text)[0]
    assert "Opening round" in opening.all_text
    assert "1. Client who keeps moving deadlines" in opening.all_text
    assert "*Case owner:* <@U0BRAM> · *Method:* Incident method" in parent.all_text
    assert "*Chair:* <@U0ANNA> · *Timekeeper:* <@U0CHLOE>" in parent.all_text
    assert "▶ 1. The incident (5 min)" in parent.all_text
    [first] = bot.fake.wait_for("chat.postMessage", lambda c: c.get("thread_ts") is not None)
    assert first["channel"] == NOORD
    assert first["text"] == "Phase 1/6 · The incident (5 min)"
    assert "Who: the case owner" in first.all_text
    assert "<@U0BRAM>" not in first.all_text, "the case's parent message just mentioned him"
    ends = int((DEC_1 + timedelta(minutes=5)).timestamp())
    assert f"<!date^{ends}^{{time}}|19:35>" in first.all_text


def test_a_heads_up_comes_before_the_end_and_the_next_phase_starts_on_time(
    meeting_day: Bot,
) -> None:
    bot = meeting_day
    start_meeting(bot)

    tick(bot, 3)
    tick(bot, 2)

    texts = [c["text"] for c in thread(bot)]
    assert texts == ["Phase 1/6 · The incident (5 min)", "Phase 2/6 · Information round (15 min)"]
    [heads_up] = [c for c in bot.fake.calls_to("chat.update") if ":hourglass:" in c.all_text]
    assert heads_up["text"] == "Phase 1/6 · The incident (5 min)", "the prompt says it, edited"
    ends = int((DEC_1 + timedelta(minutes=5)).timestamp())
    assert f":hourglass: 2 minutes left: this phase ends at <!date^{ends}^" in heads_up.all_text
    bot.fake.wait_for("chat.update", lambda c: "Phase 2 of 6: Information round" in c.all_text)


def test_a_case_runs_to_its_end_and_the_owner_gets_the_advice_privately(meeting_day: Bot) -> None:
    bot = at_the_solutions(meeting_day)
    assert prompts(bot)[-1] == "Phase 4/6 · Solutions (10 min)"

    click(bot, DEV, "run_add")
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    reply = bot.slack.submit(DEV, view, fill(view, text="Agree on deadlines in writing."))
    assert reply.body == ""
    bot.fake.wait_for("chat.update", lambda c: "1 added so far" in c.all_text)
    assert all("in writing" not in c.all_text for c in bot.fake.calls_to("chat.postMessage"))

    for minutes in (10, 6, 6):
        tick(bot, minutes)

    # The round's own prompt is edited to show the list: no new message in the thread.
    listed = next(
        c for c in bot.fake.calls_to("chat.update") if "Advice collected in Solutions" in c.all_text
    )
    assert listed["text"] == "Phase 4/6 · Solutions (10 min)"
    assert not [c for c in thread(bot) if "collected in" in c.all_text]
    assert "• Agree on deadlines in writing." in listed.all_text
    assert prompts(bot) == [
        f"Phase {n}/6 · {t}"
        for n, t in enumerate(
            [
                "The incident (5 min)",
                "Information round (15 min)",
                "Diagnosis (8 min)",
                "Solutions (10 min)",
                "The case owner chooses (6 min)",
                "Closing (6 min)",
            ],
            start=1,
        )
    ]
    summary = bot.fake.wait_for(
        "chat.postMessage",
        lambda c: c["channel"] == BRAM and "Alles wat de groep je gaf" in c.all_text,
    )[0]
    assert "Agree on deadlines in writing." in summary.all_text
    bot.fake.wait_for("chat.postMessage", lambda c: "Closing round: Noord" in c.all_text)
    bot.fake.wait_for("chat.update", lambda c: "This case is finished." in c.all_text)


def test_the_owner_and_chair_steer_and_others_may_pause(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)

    click(bot, DEV, "run_next")
    [refused] = bot.fake.wait_for("response_url")
    assert "The case owner and the chair decide" in refused.all_text
    click(bot, OSCAR, "run_pause")
    [outsider, *_] = bot.fake.wait_for("response_url", lambda c: "not your group" in c.all_text)
    assert outsider["response_type"] == "ephemeral"

    click(bot, DEV, "run_pause")
    bot.fake.wait_for("chat.update", lambda c: "Paused in phase 1 of 6" in c.all_text)
    tick(bot, 30)
    assert prompts(bot) == ["Phase 1/6 · The incident (5 min)"]
    click(bot, DEV, "run_resume")
    bot.fake.wait_for(
        "chat.update", lambda c: "until <!date" in c.all_text and "Phase 1 of 6" in c.all_text
    )

    click(bot, BRAM, "run_extend")
    tick(bot, 5)
    assert prompts(bot) == ["Phase 1/6 · The incident (5 min)"]
    click(bot, ANNA, "run_next")
    bot.fake.wait_for(
        "chat.postMessage", lambda c: c["text"] == "Phase 2/6 · Information round (15 min)"
    )


def test_when_the_chair_moves_on_the_bot_only_says_time_is_up(meeting_day: Bot) -> None:
    bot = meeting_day
    with bot.db.begin() as session:
        session.execute(Meeting.__table__.update().values(case_slots=2))
        from storage.models import Group

        session.execute(Group.__table__.update().values(auto_advance=False))
    start_meeting(bot)

    tick(bot, 5)
    tick(bot, 5)

    assert [c["text"] for c in thread(bot)][-1] == (
        "Time is up for The incident. <@U0ANNA>, click *Next phase* when the group is ready."
    )
    assert len(prompts(bot)) == 1


def test_the_group_reads_a_method_before_choosing_and_sets_its_own_durations(
    meeting_day: Bot,
) -> None:
    bot = meeting_day
    bot.slack.command(CHLOE, NOORD, "methods")
    [listing] = bot.fake.wait_for("response_url")
    assert "*Gossip method* · ~55 min" in listing.all_text

    bot.slack.click(CHLOE, "method_preview", "gossip", channel=NOORD)
    preview = bot.fake.wait_for("response_url", count=2)[-1]
    assert "*3. Gossip* · 15 min · group _(case owner only listens)_" in preview.all_text
    assert "Version: sSprong" in preview.all_text
    adjust = next(b for b in preview["blocks"] if b["type"] == "actions")["elements"][0]
    bot.slack.click(CHLOE, adjust["action_id"], adjust["value"], channel=NOORD)
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    assert bot.slack.submit(CHLOE, view, fill(view, gossip="20")).body == ""

    bot.slack.click(CHLOE, "method_preview", "gossip", channel=NOORD)
    again = bot.fake.wait_for("response_url", count=3)[-1]
    assert "*3. Gossip* · 20 min" in again.all_text
    assert "~60 min" in again.all_text


def test_roles_rotate_between_cases_and_any_member_can_change_them(meeting_day: Bot) -> None:
    bot = meeting_day
    with bot.db.begin() as session:
        meeting = session.scalars(select(Meeting)).one()
        meeting.case_slots = 2
        second = CaseFields(**{**INCIDENT.__dict__, "title": "Second case", "urgency": "low"})
        add_case(session, meeting.group, meeting.id, CHLOE, second, bot.clock())
    start_meeting(bot)

    click(bot, DEV, "run_roles")
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    assert bot.slack.submit(DEV, view, fill(view, chair=DEV, timekeeper=BRAM)).body == ""
    bot.fake.wait_for(
        "chat.update", lambda c: "*Chair:* <@U0DEV> · *Timekeeper:* <@U0BRAM>" in c.all_text
    )
    click(bot, BRAM, "run_end")

    parent = bot.fake.wait_for("chat.postMessage", lambda c: "Case: Second case" in c.all_text)[0]
    assert "*Case owner:* <@U0CHLOE>" in parent.all_text
    assert "*Chair:* <@U0ANNA> · *Timekeeper:* <@U0CHLOE>" not in parent.all_text
    assert "*Chair:* <@U0DEV>" not in parent.all_text


def test_a_case_chosen_as_the_meeting_starts_goes_into_its_own_thread(meeting_day: Bot) -> None:
    """Anna starts the meeting before anyone chose the cases: the bot chooses, and Bram is
    asked about sharing his case with the meeting already under way."""
    bot = meeting_day
    start_meeting(bot)
    [asked] = bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == BRAM and "case_consent_yes" in str(c.params)
    )
    assert "net begonnen" in asked.all_text and "vooraf" not in asked.all_text  # Bram reads Dutch

    yes = next(
        e
        for b in asked["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "case_consent_yes"
    )
    bot.slack.click(BRAM, "case_consent_yes", yes["value"], channel="D0BRAM", message_ts="9.1")

    [posted] = bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == NOORD and INCIDENT.situation in c.all_text
    )
    with bot.db() as session:
        parent_ts = session.scalars(select(CaseRun.parent_ts)).one()
    assert posted["thread_ts"] == parent_ts, "the case goes into its own thread, not the channel"


def test_when_a_round_ends_its_button_goes_and_late_additions_are_told_it_closed(
    meeting_day: Bot,
) -> None:
    bot = at_the_solutions(meeting_day)
    [solutions] = [c for c in thread(bot) if c["text"] == "Phase 4/6 · Solutions (10 min)"]
    add = next(
        e
        for b in solutions["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "run_add"
    )
    bot.slack.click(DEV, "run_add", add["value"], channel=NOORD, message_ts="2")
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]

    tick(bot, 10)  # Solutions ends while Dev is still typing

    [closed] = bot.fake.wait_for("chat.update", lambda c: "This round is closed" in c.all_text)
    assert closed["blocks"][0] == solutions["blocks"][0]
    assert "run_add" not in str(closed["blocks"])
    late = bot.slack.submit(DEV, view, fill(view, text="Put deadlines in writing."))
    assert late.json["errors"]["text"].startswith("This round is closed")
    bot.slack.click(CHLOE, "run_add", add["value"], channel=NOORD, message_ts="2")
    [told] = bot.fake.wait_for("response_url", lambda c: "round is closed" in c.all_text)
    assert told["response_type"] == "ephemeral"


def test_a_submission_under_someone_elses_modal_id_does_not_swallow_theirs(
    meeting_day: Bot,
) -> None:
    bot = at_the_solutions(meeting_day)
    click(bot, DEV, "run_add")
    view = {**bot.fake.wait_for("views.open", count=2)[-1]["view"], "id": "V0SHARED"}

    assert bot.slack.submit(CHLOE, view, fill(view, text="Chloe's advice")).body == ""
    assert bot.slack.submit(DEV, view, fill(view, text="Dev's advice")).body == ""
    assert bot.slack.submit(DEV, view, fill(view, text="Dev's advice")).body == ""

    with bot.db() as session:
        added = sorted(session.scalars(select(Contribution.user_id)))
    assert added == sorted([CHLOE, DEV]), "one each: Dev's double click counts once"


def test_the_owner_is_mentioned_only_when_their_turn_comes_back() -> None:
    incident = methods()["incident"]
    tr = Translator("en")

    def prompt(phase: int) -> str:
        facts = RunFacts(
            1, "Deadlines", BRAM, incident, phase, None, False, False, ANNA, CHLOE, 0, AMSTERDAM
        )
        return str(phase_prompt(tr, facts)["blocks"])

    mentioned = [n for n in range(len(incident.phases)) if f"<@{BRAM}>" in prompt(n)]
    assert [incident.phases[n].id for n in mentioned] == ["choice"]
    assert "<@U0BRAM>, it is your turn." in prompt(4)
    assert "The case owner only listens in this phase" in prompt(2)


def test_a_prompt_slack_is_slow_to_take_holds_up_no_other_groups_prompt(meeting_day: Bot) -> None:
    """Noord and Zuid meet at the same time; when their first phases end together, Slack takes
    its time over Noord's next prompt, and Zuid's arrives meanwhile."""
    bot = meeting_day
    zuid = given_group(bot.db, bot.clock(), channel=OPEN, name="Zuid", members=(ANNA, BRAM))
    with bot.db.begin() as session:
        group = get_group(session, zuid)
        assert group is not None
        meeting = plan_meeting(session, group, MeetingPlan(DEC_1, 120, "", 1), ANNA, bot.clock())
        add_case(session, group, meeting.id, BRAM, INCIDENT, bot.clock())
    start_meeting(bot)
    bot.slack.command(ANNA, OPEN, "start")
    bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == OPEN and "Phase 1/" in c["text"]
    )
    with bot.db() as session:
        runs = dict(
            session.execute(select(Meeting.group_id, CaseRun.id).join(CaseRun.meeting)).all()
        )
    for _ in range(8):
        bot.services.fanout.observe(0.15)  # Slack answers at its real speed
    noords_prompt = bot.fake.stall(
        "chat.postMessage",
        lambda p: p.get("channel") == NOORD and str(p.get("text", "")).startswith("Phase 2/"),
        accept=True,
    )

    bot.clock.advance(timedelta(minutes=5))
    ticking = threading.Thread(target=tick_runs, args=(bot.services, sorted(runs.values())))
    ticking.start()
    assert noords_prompt.reached.wait(10)
    bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == OPEN and "Phase 2/" in c["text"]
    )
    noords_prompt.released.set()
    ticking.join(10)

    second = [c for c in thread(bot) if c["text"].startswith("Phase 2/")]
    assert sorted(c["channel"] for c in second) == [NOORD, OPEN]  # each group's, once
