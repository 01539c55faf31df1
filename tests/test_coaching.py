"""Stories of the coach's path to a self-running group: what the coach sees in the App Home, the
checklist posted in the channel, stepping back, handing over, calling the coach back for one
meeting, and the coach's notes the group keeps as its tips."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot import jobs
from methods.cases import CaseFields
from storage.cases import add_case
from storage.groups import get_group
from storage.models import CaseRun, CoachNote, Group, GroupTip, Meeting, Reminder
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID, Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, EVA, NOORD, OPEN
from tests.stories import given_group, schedule
from tests.test_live_session import DEC_1, INCIDENT
from tests.test_scheduler import wait_until
from usecases.groups import publish_welcome
from usecases.meetings import MeetingPlan, plan_meeting
from usecases.retention import purge_expired

SECOND = CaseFields(
    title="A colleague who takes over my clients",
    situation="She calls them behind my back.",
    question="How do I raise it?",
    kind="incident",
    method="incident",
    urgency="low",
    link=None,
)


def coached_group(bot: Bot, *cases: tuple[str, CaseFields], channel: str = NOORD) -> int:
    """Noord, coached by Eva, meets on 1 December; each (owner, case) is on its agenda."""
    group_id = given_group(bot.db, bot.clock(), channel=channel, facilitator_id=EVA)
    with bot.db.begin() as session:
        group = get_group(session, group_id)
        assert group is not None
        group.welcome_ts = None
    publish_welcome(bot.services, group_id, ANNA, edited=False)  # posted and pinned
    schedule(bot, ANNA, DEC_1)
    bot.fake.wait_for("files.completeUploadExternal")
    with bot.db.begin() as session:
        group = get_group(session, group_id)
        assert group is not None
        meeting = session.scalars(select(Meeting).where(Meeting.group_id == group_id)).one()
        meeting.case_slots = max(len(cases), 1)
        for owner, case in cases:
            add_case(session, group, meeting.id, owner, case, bot.clock())
    jobs.install(bot.services)
    return group_id


def start(bot: Bot, channel: str = NOORD) -> None:
    """Anna opens the meeting; its first case begins."""
    seen = len(prompts(bot, channel))
    bot.slack.command(ANNA, channel, "start")
    bot.fake.wait_for(
        "chat.postMessage",
        lambda c: c["channel"] == channel and c["text"].startswith("Phase 1/"),
        count=seen + 1,
    )


def running(bot: Bot) -> int:
    with bot.db() as session:
        return session.scalars(select(CaseRun.id).where(CaseRun.status == "running")).one()


def click(bot: Bot, user: str, action_id: str) -> None:
    bot.slack.click(user, action_id, str(running(bot)), channel=NOORD, message_ts="1")


def tick(bot: Bot, minutes: float) -> None:
    bot.clock.advance(timedelta(minutes=minutes))
    jobs.tick_run(TEAM_ID, running(bot))


def prompts(bot: Bot, channel: str = NOORD) -> list[Call]:
    return [
        c
        for c in bot.fake.calls_to("chat.postMessage")
        if c["channel"] == channel and c.get("thread_ts") and c["text"].startswith("Phase ")
    ]


def answered(bot: Bot, words: str) -> Call:
    """What the person who clicked or typed was told, only to them."""
    return bot.fake.wait_for("response_url", lambda c: words in c.all_text)[0]


def home_of(bot: Bot, user: str) -> Call:
    seen = len([c for c in bot.fake.calls_to("views.publish") if c["user_id"] == user])
    bot.slack.event({"type": "app_home_opened", "user": user, "tab": "home"})
    return bot.fake.wait_for("views.publish", lambda c: c["user_id"] == user, count=seen + 1)[-1]


def in_channel(bot: Bot, words: str, channel: str = NOORD) -> Call:
    return bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == channel and words in c.all_text
    )[0]


def end_meeting(bot: Bot, owner: str = BRAM) -> None:
    """The case owner ends the last case; the meeting closes."""
    click(bot, owner, "run_end")
    in_channel(bot, "Closing round: Noord")


def test_after_a_meeting_the_coach_sees_who_chaired_and_nothing_of_the_case(bot: Bot) -> None:
    group_id = coached_group(bot, (BRAM, INCIDENT))
    bot.clock.set(DEC_1)
    start(bot)
    end_meeting(bot)

    home = home_of(bot, EVA)  # Eva reads Slack in Dutch

    assert "Groepen die je begeleidt" in home.all_text
    assert "Voorgezeten: <@U0ANNA>" in home.all_text
    assert "Tijd bewaakt: <@U0CHLOE>" in home.all_text
    assert "Bijeenkomsten tot nu toe: 1" in home.all_text
    assert "⬜ Elk lid heeft minstens één keer voorgezeten: 1 van 4" in home.all_text
    assert "Een casus ingebracht: 1 van 4 leden" in home.all_text
    for content in ("moving deadlines", "deadline three times", "boundary"):
        assert content not in home.all_text
    assert "Groepen die je begeleidt" not in home_of(bot, ANNA).all_text

    bot.slack.click(EVA, "coach_post", str(group_id))

    posted = in_channel(bot, "How far Noord runs itself")
    assert "⬜ Every member has chaired at least once: 1 of 4" in posted.all_text
    assert "Posted by <@U0EVA>, your coach." in posted.all_text
    assert "moving deadlines" not in posted.all_text


def test_while_coaching_the_coach_may_move_the_group_on(bot: Bot) -> None:
    group_id = coached_group(bot, (BRAM, INCIDENT))
    bot.clock.set(DEC_1)
    start(bot)

    click(bot, EVA, "run_next")

    [second] = bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 2/6"))
    assert "as chair you lead" not in second.all_text
    bot.slack.click(EVA, "coach_step_back", str(group_id))
    in_channel(bot, "<@U0EVA> steps back")
    click(bot, EVA, "run_next")  # stepping back counts from the next meeting
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 3/6"))


def test_after_stepping_back_the_coach_observes_and_the_chair_moves_on(bot: Bot) -> None:
    group_id = coached_group(bot, (BRAM, INCIDENT))
    bot.slack.click(EVA, "coach_step_back", str(group_id))
    said = in_channel(bot, "<@U0EVA> steps back")
    assert "from the next meeting on" in said.all_text
    assert "you hold every role and control" in said.all_text

    bot.clock.set(DEC_1)
    start(bot)  # the next meeting
    click(bot, ANNA, "run_next")  # Anna chairs
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 2/6"))
    click(bot, EVA, "run_next")
    answered(bot, "Je observeert deze groep nu")
    assert len(prompts(bot)) == 2
    click(bot, ANNA, "run_next")  # Anna chairs
    [third] = bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 3/6"))
    assert "<@U0ANNA>, as chair you lead this phase" in third.all_text
    click(bot, EVA, "run_pause")  # in an emergency she still may, and the group sees it
    bot.fake.wait_for("chat.update", lambda c: "Paused in phase 3 of 6" in c.all_text)
    assert in_channel(bot, "<@U0EVA> (coach) paused this case.")["thread_ts"]
    home = home_of(bot, EVA)
    assert "2 door leden, 0 door de begeleider" in home.all_text
    assert "Je bent een stap teruggegaan" in home.all_text


def test_a_step_can_be_undone_until_the_next_meeting_starts(bot: Bot) -> None:
    group_id = coached_group(bot, (BRAM, INCIDENT))
    bot.slack.click(EVA, "coach_step_back", str(group_id))
    in_channel(bot, "<@U0EVA> steps back")

    bot.slack.click(EVA, "coach_undo", str(group_id))

    in_channel(bot, "<@U0EVA> undid their last step")
    with bot.db() as session:
        group = get_group(session, group_id)
        assert group is not None and group.coach_stance == "coaching"
    bot.slack.click(EVA, "coach_step_back", str(group_id))
    bot.fake.wait_for("chat.postMessage", lambda c: "steps back" in c.all_text, count=2)
    bot.clock.set(DEC_1)
    start(bot)
    bot.slack.click(EVA, "coach_undo", str(group_id))
    answered(bot, "Er is niets terug te draaien")
    assert len([c for c in bot.fake.messages_in(NOORD) if "undid" in c.all_text]) == 1


def test_a_coach_is_reminded_with_the_members(bot: Bot) -> None:
    coached_group(bot)
    bot.clock.set(DEC_1 - timedelta(days=7))

    fire_case_request(bot)

    dm = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == EVA)[0]
    assert "Noord komt binnenkort bij elkaar, en jij begeleidt de groep" in dm.all_text


def fire_case_request(bot: Bot) -> None:
    with bot.db() as session:
        request = session.scalars(select(Reminder).where(Reminder.kind == "case_request")).one()
    jobs.send_reminder(TEAM_ID, request.id)
    for member in (ANNA, BRAM, CHLOE, DEV):
        bot.fake.wait_for("chat.postMessage", lambda c, m=member: c["channel"] == m)


def test_after_the_hand_over_the_group_runs_itself_and_the_coach_hears_no_more(bot: Bot) -> None:
    group_id = coached_group(bot)

    bot.slack.click(EVA, "coach_hand_over", str(group_id))

    said = in_channel(bot, "<@U0EVA> hands Noord over")
    assert "Any member can call the coach back" in said.all_text
    welcome = bot.fake.wait_for("chat.update", lambda c: "Welcome to intervisie" in c.all_text)[-1]
    assert "This group runs itself since November 2, 2026." in welcome.all_text
    assert "Our facilitator is" not in welcome.all_text
    panel = bot.fake.wait_for("chat.update", lambda c: "the group's buttons" in c["text"])[-1]
    assert "This group runs itself since November 2, 2026." in panel.all_text
    bot.clock.set(DEC_1 - timedelta(days=7))
    fire_case_request(bot)
    assert not [c for c in bot.fake.calls_to("chat.postMessage") if c["channel"] == EVA]
    home = home_of(bot, EVA)
    assert "Noord" not in home.all_text
    assert "Groepen die je begeleidt" not in home.all_text


def test_a_hand_over_is_undone_from_its_announcement_by_the_coach_only(bot: Bot) -> None:
    group_id = coached_group(bot)
    bot.slack.click(EVA, "coach_hand_over", str(group_id))
    said = in_channel(bot, "<@U0EVA> hands Noord over")
    [undo] = [e for b in said["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "Only <@U0EVA> can undo this" in said.all_text

    bot.slack.click(ANNA, undo["action_id"], undo["value"], channel=NOORD, message_ts="1")
    answered(bot, "Alleen de begeleider van de groep kan dit doen")
    bot.slack.click(EVA, undo["action_id"], undo["value"], channel=NOORD, message_ts="1")

    in_channel(bot, "<@U0EVA> undid their last step")
    welcome = bot.fake.wait_for(
        "chat.update", lambda c: "Our facilitator is <@U0EVA>" in c.all_text
    )[-1]
    assert "runs itself since" not in welcome.all_text
    assert "Noord" in home_of(bot, EVA).all_text


def handed_over(bot: Bot, *cases: tuple[str, CaseFields]) -> int:
    group_id = coached_group(bot, *cases)
    bot.slack.click(EVA, "coach_hand_over", str(group_id))
    in_channel(bot, "<@U0EVA> hands Noord over")
    return group_id


def test_a_coach_called_back_observes_one_meeting_and_leaves_after_it(bot: Bot) -> None:
    group_id = handed_over(bot, (BRAM, INCIDENT))

    bot.slack.command(ANNA, NOORD, "call-coach")

    answered(bot, "Ik heb je vroegere begeleider per DM gevraagd")
    dm = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == EVA)[0]
    assert "vraagt je om voor één bijeenkomst terug te komen bij Noord" in dm.all_text
    in_channel(bot, "<@U0ANNA> asked <@U0EVA> to come back")
    [accept] = [e for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]][:1]
    bot.slack.click(EVA, "coach_accept", accept["value"])
    answered(bot, "Dank je: je observeert die bijeenkomst")
    in_channel(bot, "<@U0EVA> will observe the meeting on")

    bot.clock.set(DEC_1)
    start(bot)
    click(bot, EVA, "run_next")
    answered(bot, "Je observeert deze groep nu")
    end_meeting(bot)
    wait_until(lambda: coaches(bot, group_id) == ())  # let go once the meeting has ended

    bot.slack.click(EVA, "panel:case", str(group_id), channel=NOORD, message_ts="1")
    answered(bot, "Deze knoppen horen bij de groep van dit kanaal")


def coaches(bot: Bot, group_id: int) -> tuple[str, ...]:
    with bot.db() as session:
        group = get_group(session, group_id)
        assert group is not None
        return group.coach_ids


def test_a_coach_who_left_the_workspace_cannot_be_called_back(bot: Bot) -> None:
    handed_over(bot)
    bot.fake.users[EVA].deleted = True

    bot.slack.command(ANNA, NOORD, "call-coach")

    answered(bot, "zit niet meer in deze werkruimte")
    assert not [c for c in bot.fake.calls_to("chat.postMessage") if c["channel"] == EVA]


def test_a_tip_kept_from_a_coachs_note_shows_in_that_groups_prompt_only(bot: Bot) -> None:
    coached_group(bot, (BRAM, INCIDENT), (CHLOE, SECOND))
    zuid = given_group(bot.db, bot.clock(), channel=OPEN, name="Zuid", members=(ANNA, DEV))
    with bot.db.begin() as session:
        group = get_group(session, zuid)
        assert group is not None
        noord = session.scalars(select(Meeting)).one()
        meeting = plan_meeting(session, group, MeetingPlan(DEC_1, 120, "", 1), ANNA, bot.clock())
        add_case(session, group, meeting.id, DEV, INCIDENT, bot.clock())
        assert noord.group_id != zuid
    bot.clock.set(DEC_1)
    start(bot)
    tick(bot, 5)
    tick(bot, 15)  # Diagnosis, phase 3 of the incident method

    click(bot, EVA, "run_note")
    view = bot.fake.wait_for("views.open")[-1]["view"]
    assert bot.slack.submit(EVA, view, fill(view, note="   ")).json["errors"] == {
        "note": "Schrijf eerst je notitie."
    }
    reply = bot.slack.submit(EVA, view, fill(view, note="Ask what the owner already tried."))
    assert reply.body == ""
    note = in_channel(bot, "Coach's note* from <@U0EVA>, to Diagnosis")
    assert note["thread_ts"]
    [keep] = [e for b in note["blocks"] if b["type"] == "actions" for e in b["elements"]]
    bot.slack.click(DEV, "tip_keep", keep["value"], channel=NOORD, message_ts="1")
    answered(bot, "Kept: your group's prompt for this phase shows it from now on.")

    end_meeting_case = running(bot)
    click(bot, BRAM, "run_end")  # Chloe's case comes next
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 1/6"), count=2)
    assert running(bot) != end_meeting_case
    tick(bot, 5)
    tick(bot, 15)
    third = [c for c in prompts(bot) if c["text"].startswith("Phase 3/6")]
    assert "Our tip:* Ask what the owner already tried." in third[-1].all_text
    assert "Our tip" not in third[0].all_text  # kept after that prompt was posted
    click(bot, CHLOE, "run_end")
    in_channel(bot, "Closing round: Noord")

    start(bot, OPEN)
    tick(bot, 5)
    tick(bot, 15)
    [zuid_third] = [c for c in prompts(bot, OPEN) if c["text"].startswith("Phase 3/6")]
    assert "Our tip" not in zuid_third.all_text


def test_members_edit_or_drop_their_groups_tips(bot: Bot) -> None:
    group_id = coached_group(bot)
    bot.slack.command(DEV, NOORD, "tips")
    answered(bot, "Your group keeps no tips yet.")
    with bot.db.begin() as session:
        session.add(
            GroupTip(
                group_id=group_id,
                method_id="incident",
                phase_id="diagnosis",
                text="Ask first.",
                updated_at=bot.clock(),
            )
        )
        session.add(
            GroupTip(
                group_id=group_id,
                method_id="incident",
                phase_id="solutions",
                text="One idea each.",
                updated_at=bot.clock(),
            )
        )

    bot.slack.command(DEV, NOORD, "tips")
    view = bot.fake.wait_for("views.open")[-1]["view"]
    assert "Incident method: Diagnosis" in str(view)
    changes = {"tip:incident:diagnosis": "Ask what was tried.", "tip:incident:solutions": ""}
    assert bot.slack.submit(DEV, view, fill(view, **changes)).body == ""

    with bot.db() as session:
        kept = {t.phase_id: t.text for t in session.scalars(select(GroupTip))}
    assert kept == {"diagnosis": "Ask what was tried."}


def test_coachs_buttons_refuse_members_and_groups_without_a_coach(bot: Bot) -> None:
    group_id = coached_group(bot, (BRAM, INCIDENT))
    bot.slack.click(ANNA, "coach_hand_over", str(group_id))
    answered(bot, "Alleen de begeleider van de groep kan dit doen")
    bot.clock.set(DEC_1)
    start(bot)
    click(bot, ANNA, "run_note")
    bot.fake.wait_for("response_url", lambda c: "Alleen de begeleider" in c.all_text, count=2)
    with bot.db.begin() as session:
        group = get_group(session, group_id)
        assert group is not None
        group.facilitator_id = None

    bot.slack.click(ANNA, "coach_step_back", str(group_id))

    answered(bot, "Deze groep heeft (nu) geen begeleider")
    assert not [c for c in bot.fake.messages_in(NOORD) if "steps back" in c.all_text]


def test_the_thresholds_are_the_groups_and_checked(bot: Bot) -> None:
    group_id = coached_group(bot)
    bot.slack.click(EVA, "coach_thresholds", str(group_id))
    view = bot.fake.wait_for("views.open")[-1]["view"]

    refused = bot.slack.submit(EVA, view, fill(view, ready_share="40"))

    assert refused.json["errors"] == {"ready_share": "Vul een heel getal in van 50 tot en met 100."}
    assert bot.slack.submit(EVA, view, fill(view, ready_meetings="3")).body == ""
    home = bot.fake.wait_for("views.publish", lambda c: c["user_id"] == EVA)[-1]
    assert "Fasewissels door leden in de laatste 3 bijeenkomsten: 0 van 0" in home.all_text


def test_a_former_coach_who_is_forgotten_is_in_no_coach_field(bot: Bot, database_url: str) -> None:
    handed_over(bot)
    bot.slack.command(EVA, NOORD, "forget-me")
    [button] = bot.fake.wait_for("response_url")[0]["blocks"][1]["elements"]

    bot.slack.click(EVA, button["action_id"], button["value"], channel=NOORD, message_ts="9.1")

    bot.fake.wait_for("response_url", count=2)
    with bot.db() as session:
        group = session.scalars(select(Group)).one()
        assert (group.facilitator_id, group.former_coach_id, group.guest_coach_id) == (
            None,
            None,
            None,
        )
    bot.slack.command(ANNA, NOORD, "call-coach")
    answered(bot, "Deze groep heeft (nu) geen begeleider")


def test_a_coachs_note_goes_with_the_cases_content_when_retention_passes(bot: Bot) -> None:
    coached_group(bot, (BRAM, INCIDENT))
    bot.clock.set(DEC_1)
    start(bot)
    click(bot, EVA, "run_note")
    view = bot.fake.wait_for("views.open")[-1]["view"]
    bot.slack.submit(EVA, view, fill(view, note="Slow down here."))
    in_channel(bot, "Coach's note")
    end_meeting(bot)
    bot.clock.advance(timedelta(days=91))

    purge_expired(bot.services)

    with bot.db() as session:
        assert session.scalars(select(CoachNote)).all() == []
