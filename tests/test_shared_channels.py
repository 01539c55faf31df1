"""Stories about a group in a Slack Connect channel, shared between the members' own
organisations. The app is installed in one of them (Amstel). Fenna works for Partner, which did
not install it: Slack never delivers her a slash command, so she does everything by button, in
the pinned panel, in the thread and in her DMs. Gijs, also from Partner, is in the channel but
not in the group."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import jobs
from bot.app import create_services
from methods.cases import CaseFields
from rendering.group_panel import PANEL_ACTIONS, PanelFacts, group_panel
from rendering.i18n import Translator
from rendering.meeting_facts import MeetingFacts
from storage.cases import add_case
from storage.groups import group_in_channel
from storage.models import SLACK_BOTS, Case, CaseRun, Contribution, Group, Meeting, Reminder
from tests.conftest import Bot, FakeClock, serving, settings_for
from tests.slackkit.fake_slack import (
    BOT_USER_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    TEAM_ID,
    Call,
    FakeChannel,
    FakeSlack,
    FakeUser,
)
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, FENNA, GIJS, PARTNER
from tests.slackkit.sender import Reply, SlackSender
from tests.stories import given_group, open_modal
from tests.test_attendance import closed_after, files_in_dm
from tests.test_authorization import snapshot
from tests.test_cases import BRAMS_CASE
from tests.test_followup import button_in
from tests.test_live_session import DEC_1
from tests.test_workspaces import install

PRIVATE, SHARED = "G0GEDEELD", "C0GEDEELD"  # the channel before and after it was shared
IN_THE_CHANNEL = {BOT_USER_ID, ANNA, BRAM, CHLOE, FENNA, GIJS}
FENNAS_CASE = {
    "title": "Opdrachtgever die steeds later betaalt",
    "situation": "Mijn facturen worden pas na drie herinneringen betaald.",
    "question": "Hoe bespreek ik dit zonder de relatie te schaden?",
    "kind": "incident",
    "urgency": "low",
    "method": "incident",
}


def partner_people(fake: FakeSlack) -> None:
    fake.add_user(FakeUser(FENNA, "fenna", "Europe/Lisbon", None, team_id=PARTNER))
    fake.add_user(FakeUser(GIJS, "gijs", "Europe/Brussels", "nl-BE", team_id=PARTNER))
    fake.add_channel(FakeChannel(PRIVATE, "intervisie-gedeeld", True, set(IN_THE_CHANNEL)))


@pytest.fixture
def connected(
    fake_slack: FakeSlack, db: sessionmaker[Session], clock: FakeClock, database_url: str
) -> Iterator[Bot]:
    """The hosted bot, installed by Amstel (Anna's workspace) only."""
    partner_people(fake_slack)
    settings = settings_for(
        fake_slack, database_url, bot_token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )
    services = create_services(settings, db, clock)
    jobs.install(services)
    for bot in serving(services, fake_slack, clock):
        assert install(bot, TEAM_ID, "Amstel Coaching", ANNA, "code-amstel").status == 200
        yield bot


def from_partner(bot: Bot) -> SlackSender:
    return bot.slack.from_team(PARTNER)


def amstels_token(bot: Bot) -> str:
    [token] = bot.fake.tokens_of(TEAM_ID)
    return token


def opened_view(bot: Bot, before: int) -> dict[str, Any]:
    """The modal the bot opened after `before` others, as Slack shows it: in a shared channel
    Slack tells the submission which installation opened it."""
    call = bot.fake.wait_for("views.open", count=before + 1)[-1]
    assert call.token == amstels_token(bot), "Amstel's installation serves the group"
    installed = bot.fake.grants[call.token].team_id if call.token in bot.fake.grants else TEAM_ID
    return {**call["view"], "app_installed_team_id": installed}


def _is_panel(call: Call) -> bool:
    return call.get("channel") in (PRIVATE, SHARED) and any(
        e.get("action_id", "").startswith("panel:") for e in _elements(call.params)
    )


def panel_of(bot: Bot) -> Call:
    """The panel the bot pinned in the group's channel (under its old id or its new one), as
    it shows now."""
    bot.fake.wait_for("chat.postMessage", _is_panel)
    return [
        c
        for c in bot.fake.calls
        if c.method in ("chat.postMessage", "chat.update") and not c.failed and _is_panel(c)
    ][-1]


def _elements(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def offered(message: dict[str, Any]) -> list[str]:
    """What the panel offers: its buttons, then the options of its *More* menu."""
    elements = _elements(message)
    buttons = [e["action_id"].removeprefix("panel:") for e in elements if e["type"] == "button"]
    menu = next(e for e in elements if e["type"] == "static_select")
    more = [o["value"].split(":")[0] for g in menu["option_groups"] for o in g["options"]]
    return [*buttons, *more]


def click_panel(bot: Bot, sender: SlackSender, user: str, what: str, channel: str) -> Reply:
    """A member uses the panel for `what`: its button if it has one, else *More*."""
    panel = panel_of(bot)
    buttons = [e for e in _elements(panel.params) if e["action_id"] == f"panel:{what}"]
    if buttons:
        [button] = buttons
        return sender.click(
            user, button["action_id"], button["value"], channel=channel, message_ts="1"
        )
    menu = next(e for e in _elements(panel.params) if e["action_id"] == "panel_more")
    [value] = [
        o["value"]
        for g in menu["option_groups"]
        for o in g["options"]
        if o["value"].startswith(f"{what}:")
    ]
    return sender.choose(user, menu, value, channel=channel)


def dm_to(bot: Bot, user: str, words: str) -> Call:
    return bot.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == user and words in c.all_text
    )[-1]


def open_by_button(
    bot: Bot, sender: SlackSender, user: str, message: Call, action_id: str, channel: str
) -> dict[str, Any]:
    before = len(bot.fake.calls_to("views.open"))
    value = button_in(message, action_id)["value"]
    sender.click(user, action_id, value, channel=channel, message_ts="5.1")
    return opened_view(bot, before)


def fire(bot: Bot, kind: str) -> None:
    """The reminder's moment comes (unless it passed already) and its job fires."""
    with bot.db() as session:
        reminder = session.scalars(select(Reminder).where(Reminder.kind == kind)).one()
        reminder_id, due = reminder.id, reminder.due_at
    bot.clock.set(max(bot.clock(), due))
    jobs.send_reminder(TEAM_ID, reminder_id)


def running_run(bot: Bot) -> int:
    with bot.db() as session:
        return session.scalars(select(CaseRun.id).where(CaseRun.status == "running")).one()


def tick(bot: Bot, minutes: int) -> None:
    bot.clock.advance(timedelta(minutes=minutes))
    jobs.tick_run(TEAM_ID, running_run(bot))


def thread_prompts(bot: Bot) -> list[Call]:
    return [
        c
        for c in bot.fake.calls_to("chat.postMessage")
        if c["channel"] == SHARED and c.get("thread_ts") and c["text"].startswith("Fase ")
    ]


def until_a_round_collects(bot: Bot) -> Call:
    """Phases pass until one collects contributions (its prompt has the add button)."""
    for _ in range(20):
        prompt = thread_prompts(bot)[-1]
        if "run_add" in str(prompt.params):
            return prompt
        tick(bot, 5)
    raise AssertionError("no round collected contributions")


def contribute(bot: Bot, sender: SlackSender, user: str, text: str) -> None:
    """`user` adds a contribution with the collecting round's button."""
    prompt = until_a_round_collects(bot)
    view = open_by_button(bot, sender, user, prompt, "run_add", SHARED)
    assert sender.submit(user, view, fill(view, text=text)).body == ""


def until_the_case_ends(bot: Bot) -> None:
    run_id = running_run(bot)
    for _ in range(20):
        with bot.db() as session:
            if session.get(CaseRun, run_id).status != "running":
                return
        tick(bot, 5)
    raise AssertionError("the case did not end")


def test_a_member_from_another_organisation_takes_part_in_everything_by_button(
    connected: Bot,
) -> None:
    bot, partner = connected, from_partner(connected)

    # Anna sets the group up in the private channel; Fenna of Partner is one of its members.
    view = open_modal(bot, ANNA, "setup", channel=PRIVATE)
    values = fill(view, group_language="nl", members=[ANNA, BRAM, CHLOE, FENNA])
    assert bot.slack.submit(ANNA, view, values).body == ""
    panel = panel_of(bot)
    assert "intervisie-gedeeld: de knoppen van de groep" in panel.all_text
    assert set(offered(panel.params)) >= {
        "case",
        "propose",
        "goals",
        "attendance",
        "export",
        "forget-me",
        "help",
    }

    # Anna proposes two evenings; Fenna marks the first and confirms it.
    view = open_modal(bot, ANNA, "propose", channel=PRIVATE)
    bot.slack.submit(ANNA, view, fill(view, option_1=DEC_1, option_2=DEC_1 + timedelta(days=1)))
    poll = bot.fake.wait_for("chat.postMessage", lambda c: "poll_vote" in str(c.params))[0]
    first = button_in(poll, "poll_vote")["value"]
    partner.click(FENNA, "poll_vote", first, channel=PRIVATE, message_ts="2")
    bot.fake.wait_for("chat.update", lambda c: f"<@{FENNA}>" in c.all_text)
    partner.click(FENNA, "poll_confirm", first, channel=PRIVATE, message_ts="2")
    bot.fake.wait_for("chat.update", lambda c: "Bevestigd door" in c.all_text)
    with bot.db.begin() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert (meeting.starts_at, meeting.created_by) == (DEC_1, FENNA)
        meeting.case_slots = 2

    # Partner joins the channel for real: Slack gives it a new id.
    moved = len(bot.fake.calls)
    bot.fake.add_channel(FakeChannel(SHARED, "intervisie-gedeeld", True, set(IN_THE_CHANNEL)))
    del bot.fake.channels[PRIVATE]
    bot.slack.event(
        {"type": "channel_id_changed", "old_channel_id": PRIVATE, "new_channel_id": SHARED}
    )

    # The case request reaches Fenna by DM; she brings in her case from the panel.
    fire(bot, "case_request")
    dm_to(bot, FENNA, "casus")
    view = open_modal(bot, BRAM, "case", channel=SHARED)
    assert bot.slack.submit(BRAM, view, fill(view, **BRAMS_CASE, method="incident")).body == ""
    before = len(bot.fake.calls_to("views.open"))
    click_panel(bot, partner, FENNA, "case", SHARED)
    view = opened_view(bot, before)
    assert partner.submit(FENNA, view, fill(view, **FENNAS_CASE)).body == ""
    with bot.db() as session:
        owners = {c.owner_id: c.title for c in session.scalars(select(Case))}
    assert owners == {FENNA: FENNAS_CASE["title"], BRAM: BRAMS_CASE["title"]}

    # The reminders and the meeting happen in the shared channel, once.
    fire(bot, "soon")
    fire(bot, "soon")
    bot.fake.wait_for("chat.update", lambda c: "De bijeenkomst kan beginnen" in c.all_text)
    bot.clock.set(DEC_1)
    click_panel(bot, partner, FENNA, "start", SHARED)
    soon = [c for c in bot.fake.messages_in(SHARED) if "begint zo" in c.all_text]
    assert len(soon) == 1
    opening = bot.fake.wait_for("chat.update", lambda c: "is begonnen" in c.all_text)
    assert [c["channel"] for c in opening] == [SHARED]  # the start message, now the opening
    partner.click(FENNA, "attendance_present", str(meeting.id), channel=SHARED, message_ts="3")

    # Bram's case comes first: Fenna contributes in it.
    bot.fake.wait_for("chat.postMessage", lambda c: "Casus: Client who keeps" in c.all_text)
    contribute(bot, partner, FENNA, "Spreek deadlines schriftelijk af.")
    until_the_case_ends(bot)

    # Fenna's own case: Bram contributes, and after its last phase she gets it all by DM.
    bot.fake.wait_for("chat.postMessage", lambda c: "Casus: Opdrachtgever" in c.all_text)
    contribute(bot, bot.slack, BRAM, "Stuur een factuur met een vaste termijn.")
    until_the_case_ends(bot)
    summary = dm_to(bot, FENNA, "Alles wat de groep je gaf")
    assert "Stuur een factuur met een vaste termijn." in summary.all_text
    thanks = dm_to(bot, FENNA, "Dank je voor het inbrengen")
    view = open_by_button(bot, partner, FENNA, thanks, "takeaway_write", "D0FENNA")
    values = fill(view, learned="Ik wacht te lang.", attention="Eerder bellen.", goal="Bellen")
    values["target"] = {"target": {"type": "datepicker", "selected_date": "2027-01-15"}}
    assert partner.submit(FENNA, view, values).body == ""

    # Her proof of participation shows the times in her own zone; she evaluates the meeting.
    closed_after(bot)
    proof = files_in_dm(bot, FENNA)["Bewijs van deelname aan intervisie"]
    assert "(Europe/Lisbon)" in proof and "Tijd 18:30" in proof
    fire(bot, "evaluation")
    request = dm_to(bot, FENNA, "Hoe was de bijeenkomst")
    view = open_by_button(bot, partner, FENNA, request, "meeting_evaluate", "D0FENNA")
    assert partner.submit(FENNA, view, fill(view, safety="5", usefulness="4")).body == ""
    bot.fake.wait_for("chat.update", lambda c: "Dank je voor je feedback" in c.all_text)

    with bot.db() as session:
        added = session.scalars(select(Contribution.user_id)).all()
    assert FENNA in added
    assert not [
        c for c in bot.fake.calls[moved:] if PRIVATE in (c.get("channel"), c.get("channel_id"))
    ]
    assert all(c.token == amstels_token(bot) for c in bot.fake.calls if c.token)


@pytest.fixture
def shared_group(connected: Bot) -> Bot:
    """A group from before the panel existed, in the shared channel: at the next start the
    bot gives it its panel."""
    bot = connected
    bot.fake.add_channel(FakeChannel(SHARED, "intervisie-gedeeld", True, set(IN_THE_CHANNEL)))
    given_group(
        bot.db, bot.clock(), channel=SHARED, members=(ANNA, BRAM, CHLOE, FENNA), language="nl"
    )
    jobs.post_missing_panels()
    jobs.post_missing_panels()  # a second start, or a second process: still one panel
    return bot


def test_a_group_from_before_the_panel_gets_it_once_at_the_next_start(shared_group: Bot) -> None:
    bot = shared_group

    panels = [c for c in bot.fake.messages_in(SHARED) if "de knoppen van de groep" in c.all_text]
    assert len(panels) == 1
    [pin] = bot.fake.wait_for("pins.add")
    with bot.db() as session:
        group = group_in_channel(session, TEAM_ID, SHARED)
        assert group is not None and pin["timestamp"] == group.panel_ts


def test_the_panel_answers_like_the_command_in_the_members_language(shared_group: Bot) -> None:
    bot, partner = shared_group, from_partner(shared_group)

    click_panel(bot, partner, FENNA, "meetings", SHARED)
    [listing] = bot.fake.wait_for("response_url")
    assert listing["response_type"] == "ephemeral"
    assert "Komende bijeenkomsten van Noord" in listing.all_text
    assert "*Bijeenkomst plannen* of *Tijden voorstellen* op het paneel" in listing.all_text

    click_panel(bot, partner, FENNA, "help", SHARED)
    [_, help_answer] = bot.fake.wait_for("response_url", count=2)
    # Slack gives no locale for Fenna: the group's language, not English.
    assert "Knoppen in het kanaal van je groep" in help_answer.all_text

    click_panel(bot, partner, FENNA, "group", SHARED)
    settings = bot.fake.wait_for("response_url", count=3)[-1]
    edit = button_in(settings, "group_edit")
    partner.click(FENNA, "group_edit", edit["value"], channel=SHARED, message_ts="2")
    assert opened_view(bot, 0)["callback_id"] == "group_modal"


def test_an_outsider_from_the_other_organisation_is_refused_everywhere(shared_group: Bot) -> None:
    bot, partner = shared_group, from_partner(shared_group)
    with bot.db() as session:
        group_id = session.scalars(select(Group.id)).one()
    before = snapshot(bot, GIJS)

    for what in PANEL_ACTIONS:
        reply = partner.click(GIJS, f"panel:{what}", str(group_id), channel=SHARED, message_ts="1")
        assert reply.status == 200
    answers = bot.fake.wait_for("response_url", count=len(PANEL_ACTIONS))
    assert all("Deze knoppen horen bij de groep" in a.all_text for a in answers)
    assert all(a["response_type"] == "ephemeral" for a in answers)
    assert bot.fake.calls_to("views.open") == []
    assert snapshot(bot, GIJS) == before


def test_when_partner_leaves_the_channel_its_members_leave_the_group(shared_group: Bot) -> None:
    bot, partner = shared_group, from_partner(shared_group)
    with bot.db.begin() as session:
        group = session.scalars(select(Group)).one()
        add_case(session, group, None, FENNA, CaseFields(**FENNAS_CASE, link=None), bot.clock())

    bot.slack.event(
        {
            "type": "channel_unshared",
            "channel": SHARED,
            "previously_connected_team_id": PARTNER,
            "is_ext_shared": False,
        }
    )

    told = dm_to(bot, FENNA, "niet meer")
    assert "intervisiegroep *Noord*" in told.all_text
    said = bot.fake.wait_for(
        "chat.postMessage",
        lambda c: c["channel"] == SHARED and "deelt dit kanaal niet meer" in c.all_text,
    )[0]
    assert f"<@{FENNA}>" in said.all_text and f"<@{ANNA}>" not in said.all_text
    with bot.db() as session:
        group = session.scalars(select(Group)).one()
        assert group.member_ids == sorted([ANNA, BRAM, CHLOE])
        assert session.scalars(select(Case.owner_id)).all() == [FENNA], "her case stays"
    click_panel(bot, partner, FENNA, "cases", SHARED)
    [refused] = bot.fake.wait_for("response_url")
    assert "Deze knoppen horen bij de groep" in refused.all_text


def test_when_another_organisation_joins_the_channel_the_group_hears_how_to_add_them(
    shared_group: Bot,
) -> None:
    bot = shared_group

    bot.slack.event({"type": "channel_shared", "channel": SHARED, "connected_team_id": PARTNER})

    bot.fake.wait_for(
        "chat.postMessage",
        lambda c: c["channel"] == SHARED and "gedeeld met een andere organisatie" in c.all_text,
    )
    bot.fake.wait_for("chat.update", lambda c: "de knoppen van de groep" in c.all_text)
    with bot.db() as session:
        assert len(session.scalars(select(Group)).one().member_ids) == 4


def test_with_the_app_in_both_organisations_the_group_stays_one_group(shared_group: Bot) -> None:
    bot, partner = shared_group, from_partner(shared_group)
    assert install(bot, PARTNER, "Partner", GIJS, "code-partner").status == 200
    [partners_token] = bot.fake.tokens_of(PARTNER)

    partner.command(GIJS, SHARED, "setup")
    [answer] = bot.fake.wait_for("response_url")
    assert "Dit kanaal heeft al een intervisiegroep" in answer.all_text
    before = len(bot.fake.calls_to("views.open"))
    click_panel(bot, partner, FENNA, "case", SHARED)
    opened_view(bot, before)  # opened by Amstel's installation, which set the group up

    with bot.db() as session:
        assert len(session.scalars(select(Group)).all()) == 1
    posted_by_partner = [
        c["channel"] for c in bot.fake.calls_to("chat.postMessage") if c.token == partners_token
    ]
    assert posted_by_partner == [GIJS], "Partner's installation only welcomed its installer"


def test_with_one_workspaces_token_a_member_from_another_organisation_uses_the_panel(
    bot: Bot,
) -> None:
    """The self-hosted bot (SLACK_BOT_TOKEN): Fenna's clicks carry Partner's team id."""
    partner_people(bot.fake)
    bot.fake.add_channel(FakeChannel(SHARED, "intervisie-gedeeld", True, set(IN_THE_CHANNEL)))
    given_group(bot.db, bot.clock(), channel=SHARED, members=(ANNA, BRAM, FENNA), language="nl")
    jobs.install(bot.services)
    jobs.post_missing_panels()

    click_panel(bot, from_partner(bot), FENNA, "cases", SHARED)

    [answer] = bot.fake.wait_for("response_url")
    assert "Je hebt geen open casussen." in answer.all_text


NEXT = MeetingFacts(7, "Noord", DEC_1, 120, "", 2, ZoneInfo("Europe/Amsterdam"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_on_the_meetings_day_the_panel_puts_starting_first(language: str) -> None:
    tr = Translator(language)  # type: ignore[arg-type]
    facts = PanelFacts(group_id=3, group_name="Noord", next_meeting=NEXT, startable=True)

    panel = group_panel(tr, facts)

    [now] = [b for b in panel["blocks"] if b["type"] == "actions"]
    assert [(e["action_id"], e.get("style")) for e in now["elements"]] == [
        ("panel:start", "primary"),
        ("panel:case", None),
        ("panel_more", None),
    ]
    # Everything, each once; a coach is called back only once the group runs itself.
    assert sorted(offered(panel)) == sorted(set(PANEL_ACTIONS) - {"call-coach"})
    assert all(e["value"] == "3" for e in now["elements"] if e["type"] == "button")


def test_a_group_that_runs_itself_says_so_and_can_call_its_coach_back() -> None:
    facts = PanelFacts(3, "Noord", NEXT, startable=True, runs_itself_since=DEC_1.date())

    panel = group_panel(Translator("en"), facts)

    assert sorted(offered(panel)) == sorted(PANEL_ACTIONS)
    assert "This group runs itself since December 1, 2026." in str(panel["blocks"])


def test_before_the_day_the_panel_offers_a_case_and_planning_and_the_rest_under_more() -> None:
    tr = Translator("en")
    facts = PanelFacts(group_id=3, group_name="Noord", next_meeting=NEXT, startable=False)

    panel = group_panel(tr, facts)

    when = int(DEC_1.timestamp())
    assert f"Next meeting: <!date^{when}^" in str(panel["blocks"])
    assert offered(panel)[:2] == ["case", "schedule"]
    assert "start" not in offered(panel) and "start-async" not in offered(panel)
    more = next(e for e in _elements(panel) if e["type"] == "static_select")
    assert more["placeholder"]["text"] == "More…"
    names = [o["text"]["text"] for g in more["option_groups"] for o in g["options"]]
    assert "My yearly attendance report" in names, "not to be mistaken for I'm here"


def test_while_a_meeting_runs_the_panel_puts_i_m_here_first() -> None:
    tr = Translator("nl")
    facts = PanelFacts(3, "Noord", None, startable=False, running_meeting_id=7)

    panel = group_panel(tr, facts)

    [now] = [b for b in panel["blocks"] if b["type"] == "actions"]
    here = now["elements"][0]
    assert (here["action_id"], here["value"], here["style"]) == (
        "attendance_present",
        "7",
        "primary",
    )
    assert "De bijeenkomst is bezig" in str(panel["blocks"])


def test_a_deleted_panel_is_posted_and_pinned_again(shared_group: Bot) -> None:
    bot = shared_group
    with bot.db() as session:
        first = session.scalars(select(Group.panel_ts)).one()
    bot.fake.fail_next("chat.update", "message_not_found")  # someone deleted it

    bot.slack.event({"type": "channel_shared", "channel": SHARED, "connected_team_id": PARTNER})

    panels = [c for c in bot.fake.messages_in(SHARED) if "de knoppen van de groep" in c.all_text]
    assert len(panels) == 2
    with bot.db() as session:
        again = session.scalars(select(Group.panel_ts)).one()
    assert again not in (None, first)
    assert [p["timestamp"] for p in bot.fake.calls_to("pins.add")] == [first, again]


@pytest.fixture
def both_installed(shared_group: Bot) -> Bot:
    """The shared group's channel, with the app installed by the other organisation too."""
    assert install(shared_group, PARTNER, "Partner", GIJS, "code-partner").status == 200
    return shared_group


def test_when_the_other_organisation_s_bot_leaves_our_group_runs_on_and_nobody_is_told(
    both_installed: Bot,
) -> None:
    bot, partner = both_installed, from_partner(both_installed)
    posts_before = len(bot.fake.calls_to("chat.postMessage"))

    reply = partner.event({"type": "group_left", "channel": SHARED}, "EvPartnerLeft")

    assert reply.status == 200  # handled (the sender waits until the bot is done)
    with bot.db() as session:
        assert session.scalars(select(Group.paused_at)).one() is None
    assert len(bot.fake.calls_to("chat.postMessage")) == posts_before, "no DM to anyone"

    bot.slack.event({"type": "group_left", "channel": SHARED}, "EvOursLeft")  # ours: paused
    with bot.db() as session:
        assert session.scalars(select(Group.paused_at)).one() is not None


def test_a_home_opened_where_the_app_is_not_installed_gets_no_answer_with_our_token(
    shared_group: Bot,
) -> None:
    bot = shared_group
    publishes = len(bot.fake.calls_to("views.publish"))

    opened = {"type": "app_home_opened", "user": FENNA, "tab": "home"}
    reply = from_partner(bot).event(opened, "EvPartnerHome")

    assert reply.status == 200  # handled (the sender waits until the bot is done)
    assert len(bot.fake.calls_to("views.publish")) == publishes, "not with Amstel's token"
    bot.slack.event({"type": "app_home_opened", "user": ANNA, "tab": "home"}, "EvAmstelHome")
    assert len(bot.fake.calls_to("views.publish")) == publishes + 1, "Amstel's own: answered"


def test_when_the_other_organisation_uninstalls_our_group_runs_on_untouched(
    both_installed: Bot,
) -> None:
    bot, partner = both_installed, from_partner(both_installed)
    posts_before = len(bot.fake.calls_to("chat.postMessage"))

    reply = partner.event({"type": "app_uninstalled"}, "EvPartnerGone")

    assert reply.status == 200  # handled (the sender waits until the bot is done)
    with bot.db() as session:
        [group] = session.scalars(select(Group)).all()
        assert (group.team_id, group.paused_at) == (TEAM_ID, None)
        assert set(group.member_ids) == {ANNA, BRAM, CHLOE, FENNA}
        assert set(session.scalars(select(SLACK_BOTS.c.team_id))) == {TEAM_ID}
    assert len(bot.fake.calls_to("chat.postMessage")) == posts_before, "nobody is told anything"
    click_panel(bot, partner, FENNA, "case", SHARED)  # Fenna still takes part, by the panel
    bot.fake.wait_for("views.open")
