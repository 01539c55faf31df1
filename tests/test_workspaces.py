"""Stories about one hosted bot that many workspaces install with "Add to Slack": each installs
through the real install page and Slack's redirect, each works with its own token, and each is
its own world, up to the moment it uninstalls the app."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from bot import jobs
from bot.app import create_services
from bot.config import DEFAULT_SCOPES
from bot.workspaces import WorkspaceTokens
from storage.cases import add_case
from storage.crypto import Cipher
from storage.db import make_engine, make_session_factory
from storage.groups import get_group, group_in_channel
from storage.migrate import alembic_config, prepare_database
from storage.models import SLACK_BOTS, SLACK_OAUTH_STATES, CaseRun, Group, Meeting, Person
from tests.conftest import TEST_KEY, Bot, FakeClock, serving, settings_for
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
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD
from tests.stories import open_modal
from tests.test_confidentiality import raw_database_text
from tests.test_live_session import INCIDENT
from usecases.installation import token_accepted

AMSTEL, BRUGGE = "T0AMSTEL", "T0BRUGGE"
FLOR, GUUS, HENK, IRIS = "U0FLOR", "U0GUUS", "U0HENK", "U0IRIS"
ZUID = "C0ZUID"
PEOPLE = {AMSTEL: {ANNA, BRAM, CHLOE, DEV}, BRUGGE: {FLOR, GUUS, HENK, IRIS}}
CHANNELS = {AMSTEL: NOORD, BRUGGE: ZUID}
DEC_1 = datetime(2026, 12, 1, 19, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def hosted(
    fake_slack: FakeSlack, db: sessionmaker[Session], clock: FakeClock, database_url: str
) -> Iterator[Bot]:
    """One bot for every workspace that installs it: no bot token, the app's credentials."""
    for user, name in ((FLOR, "flor"), (GUUS, "guus"), (HENK, "henk"), (IRIS, "iris")):
        fake_slack.add_user(FakeUser(user, name, "Europe/Brussels", "nl-BE"))
    fake_slack.add_channel(
        FakeChannel(ZUID, "intervisie-zuid", True, {BOT_USER_ID, *PEOPLE[BRUGGE]})
    )
    settings = settings_for(
        fake_slack,
        database_url,
        bot_token=None,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        support_email="privacy@intervisie.example",
    )
    services = create_services(settings, db, clock)
    jobs.install(services)
    yield from serving(services, fake_slack, clock)


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: str


def browse(bot: Bot, path: str, cookie: str | None = None) -> Page:
    """What a browser gets, without following redirects."""
    connection = http.client.HTTPConnection(urlparse(bot.url).netloc, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    page = Page(response.status, response.headers, response.read().decode())
    connection.close()
    return page


def add_to_slack(bot: Bot) -> tuple[str, str]:
    """Click "Add to Slack": the browser goes to Slack's authorize page with a one-time state,
    which it also keeps in a cookie. The state and the cookie."""
    started = browse(bot, "/slack/install")
    assert started.status == 302
    location = urlparse(started.headers["Location"])
    query = parse_qs(location.query)
    # Slack's authorize page, beside the Web API that SLACK_API_URL names (here the fake's)
    assert f"{location.scheme}://{location.netloc}" == bot.fake.base
    assert location.path == "/oauth/v2/authorize"
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(DEFAULT_SCOPES)
    cookie = started.headers["Set-Cookie"].split(";")[0]
    assert query["state"][0] in cookie
    return query["state"][0], cookie


def install(
    bot: Bot, team: str, name: str, admin: str, code: str, expires_in: int | None = None
) -> Page:
    """An admin of `team` adds the app: Slack shows its page, the admin allows it, and Slack
    sends the browser back with a code."""
    state, cookie = add_to_slack(bot)
    bot.fake.offer_install(code, team, name, admin, expires_in=expires_in)
    return browse(bot, f"/slack/oauth_redirect?{urlencode({'code': code, 'state': state})}", cookie)


def in_team(bot: Bot, team: str) -> Bot:
    return replace(bot, slack=bot.slack.from_team(team))


def touched(call: Call) -> set[str]:
    """The channels and people a Web API call is about."""
    return {
        str(call.get(name))
        for name in ("channel", "channel_id", "user", "users")
        if call.get(name) and str(call.get(name))[0] in "CGUWD"
    }


def world_of(team: str) -> set[str]:
    people = PEOPLE[team] | {BOT_USER_ID}
    return {CHANNELS[team], *people, *("D" + p[1:] for p in people)}


def set_up_group(bot: Bot, team: str, facilitator: str) -> int:
    """Someone in the workspace types /intervisie setup in the group's channel and saves."""
    view = open_modal(bot, facilitator, "setup", channel=CHANNELS[team])
    reply = bot.slack.submit(facilitator, view, fill(view, group_language="en"))
    assert reply.status == 200 and reply.body == ""
    with bot.db() as session:
        group = group_in_channel(session, team, CHANNELS[team])
        assert group is not None and group.team_id == team
        return group.id


def plan_a_case(bot: Bot, team: str, owner: str, chair: str) -> None:
    """`chair` plans the group's meeting on 1 December and `owner` brings in a case for it."""
    with bot.db() as session:
        group_id = session.scalars(select(Group.id).where(Group.team_id == team)).one()
    view = open_modal(bot, chair, "schedule", channel=CHANNELS[team])
    bot.slack.submit(chair, view, fill(view, start=DEC_1))
    with bot.db.begin() as session:
        meeting_id = session.scalars(select(Meeting.id).where(Meeting.group_id == group_id)).one()
        group = get_group(session, group_id)
        assert group is not None
        add_case(session, group, meeting_id, owner, INCIDENT, bot.clock())


def start_meeting(bot: Bot, team: str, chair: str) -> None:
    """It is 1 December, 19:30: `chair` starts the meeting and its case's first phase."""
    bot.clock.set(DEC_1)
    bot.slack.command(chair, CHANNELS[team], "start")
    bot.fake.wait_for(
        "chat.postMessage",
        lambda c: c["channel"] == CHANNELS[team] and c["text"].startswith("Phase 1/"),
    )


def both_meeting(hosted: Bot) -> tuple[Bot, Bot]:
    """In each installed workspace a group is set up, and its meeting starts with a case."""
    a, b = in_team(hosted, AMSTEL), in_team(hosted, BRUGGE)
    set_up_group(a, AMSTEL, ANNA)
    set_up_group(b, BRUGGE, FLOR)
    plan_a_case(a, AMSTEL, BRAM, ANNA)
    plan_a_case(b, BRUGGE, GUUS, FLOR)
    start_meeting(a, AMSTEL, ANNA)
    start_meeting(b, BRUGGE, FLOR)
    return a, b


def next_phase(bot: Bot, team: str) -> None:
    """Time passes and the case's timer fires: its job carries the workspace's team id."""
    with bot.db() as session:
        run_id = session.scalars(
            select(CaseRun.id)
            .join(Meeting, CaseRun.meeting_id == Meeting.id)
            .join(Group, Meeting.group_id == Group.id)
            .where(Group.team_id == team, CaseRun.status == "running")
        ).one()
    bot.clock.advance(timedelta(minutes=30))
    jobs.tick_run(team, run_id)


def test_two_workspaces_install_and_each_runs_a_case_with_its_own_token(hosted: Bot) -> None:
    amstel = install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    brugge = install(hosted, BRUGGE, "Brugge Zorg", FLOR, "code-brugge")

    assert amstel.status == 200 and "The intervisie bot is in your workspace" in amstel.body
    assert "Amstel Coaching" in amstel.body and "/intervisie setup" in amstel.body
    assert "Brugge Zorg" in brugge.body
    [token_a], [token_b] = hosted.fake.tokens_of(AMSTEL), hosted.fake.tokens_of(BRUGGE)
    welcomes = hosted.fake.wait_for(
        "chat.postMessage", lambda c: "/invite @intervisie" in c.all_text, 2
    )
    assert {(c["channel"], c.token) for c in welcomes} == {(ANNA, token_a), (FLOR, token_b)}

    a, b = both_meeting(hosted)
    next_phase(a, AMSTEL)
    next_phase(b, BRUGGE)

    for team in (AMSTEL, BRUGGE):
        phase_two = hosted.fake.wait_for(
            "chat.postMessage",
            lambda c, team=team: (
                c["channel"] == CHANNELS[team] and c["text"].startswith("Phase 2/")
            ),
        )
        assert [c.token for c in phase_two] == hosted.fake.tokens_of(team)
    for call in hosted.fake.calls:
        if call.token == token_a:
            assert touched(call) <= world_of(AMSTEL), call
        elif call.token == token_b:
            assert touched(call) <= world_of(BRUGGE), call
    assert not [c for c in hosted.fake.calls if c.method == "auth.test" and c.token == token_a][1:]


def test_once_installed_a_request_naming_another_app_is_refused(hosted: Bot) -> None:
    """Without SLACK_APP_ID the bot knows its app from what Slack said when it was installed."""
    install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    a = in_team(hosted, AMSTEL)
    other = a.slack.command_body(ANNA, NOORD, "help") | {"api_app_id": "A0SOMEONEELSE"}

    refused = a.slack.post(urlencode(other), "application/x-www-form-urlencoded")
    ours = a.slack.command(ANNA, NOORD, "help")

    assert (refused.status, ours.status) == (403, 200)
    [answer] = hosted.fake.wait_for("response_url")  # the help, for our own request only
    assert "intervisie" in answer.all_text.lower()


def test_a_workspace_cannot_reach_another_workspaces_group(hosted: Bot) -> None:
    install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    install(hosted, BRUGGE, "Brugge Zorg", FLOR, "code-brugge")
    amstel_group = set_up_group(in_team(hosted, AMSTEL), AMSTEL, ANNA)
    b = in_team(hosted, BRUGGE)

    b.slack.command(FLOR, NOORD, "group")  # Amstel's channel id, sent from Brugge

    [answer] = hosted.fake.wait_for("response_url")
    assert "intervisie-noord" not in answer.all_text
    views = [
        c for c in hosted.fake.calls_to("views.open") if c.token in hosted.fake.tokens_of(BRUGGE)
    ]
    assert views == []
    with hosted.db() as session:
        group = get_group(session, amstel_group)
        assert group is not None and not group.may_act(BRUGGE, ANNA) and group.may_act(AMSTEL, ANNA)


def test_a_forged_or_replayed_state_and_a_reused_code_get_the_failure_page(hosted: Bot) -> None:
    forged = browse(
        hosted, "/slack/oauth_redirect?code=x&state=made-up", "slack-app-oauth-state=made-up"
    )
    done = install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    state, cookie = add_to_slack(hosted)
    reused = browse(hosted, f"/slack/oauth_redirect?code=code-amstel&state={state}", cookie)
    replayed = browse(hosted, f"/slack/oauth_redirect?code=code-amstel&state={state}", cookie)
    other_browser = browse(hosted, f"/slack/oauth_redirect?code=c&state={add_to_slack(hosted)[0]}")
    cancelled = browse(hosted, f"/slack/oauth_redirect?error=access_denied&state={state}")

    assert done.status == 200
    for page in (forged, replayed, other_browser):
        assert page.status in (400, 401)
        assert "The bot was not added" in page.body and "has expired" in page.body
    assert reused.status == 401 and "did not confirm the install" in reused.body
    assert "was cancelled in Slack" in cancelled.body
    assert "privacy@intervisie.example" in cancelled.body
    assert len(hosted.fake.calls_to("oauth.v2.access")) == 2  # the install and the reused code
    with hosted.db() as session:
        assert len(session.execute(select(SLACK_BOTS)).all()) == 1


def test_a_page_in_dutch_for_a_dutch_browser(hosted: Bot) -> None:
    connection = http.client.HTTPConnection(urlparse(hosted.url).netloc, timeout=10)
    connection.request("GET", "/", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    landing = connection.getresponse().read().decode()

    assert "Toevoegen aan Slack" in landing and 'href="/slack/install"' in landing
    privacy = browse(hosted, "/privacy?lang=en").body
    assert "deletes everything it stored for that workspace" in privacy


def test_an_org_wide_install_is_refused_and_nothing_is_kept(hosted: Bot) -> None:
    state, cookie = add_to_slack(hosted)
    hosted.fake.offer_install("code-grid", AMSTEL, "Grid", ANNA, org_wide=True)

    page = browse(hosted, f"/slack/oauth_redirect?code=code-grid&state={state}", cookie)

    assert "whole Enterprise Grid organisation is not supported" in page.body
    [token] = hosted.fake.tokens_of(AMSTEL)
    assert hosted.fake.grants[token].revoked
    with hosted.db() as session:
        assert session.execute(select(SLACK_BOTS)).all() == []


def test_a_token_near_expiry_is_refreshed_once_before_it_is_used(hosted: Bot) -> None:
    install(hosted, BRUGGE, "Brugge Zorg", FLOR, "code-brugge", expires_in=3600)
    [old] = hosted.fake.tokens_of(BRUGGE)
    hosted.fake.expire(old)  # Slack takes it no more: the bot must not use it

    view = open_modal(in_team(hosted, BRUGGE), FLOR, "setup", channel=ZUID)

    [refresh] = [c for c in hosted.fake.calls_to("oauth.v2.access") if c.get("refresh_token")]
    [_, new] = hosted.fake.tokens_of(BRUGGE)
    opened = [c for c in hosted.fake.calls_to("views.open") if c["view"] == view]
    assert [c.token for c in opened] == [new]
    assert all(c.token != old for c in hosted.fake.calls if c.received_at > refresh.received_at)
    with hosted.db() as session:
        raw = session.execute(text("SELECT bot_token FROM slack_bots")).scalar_one()
        assert "xoxb" not in raw, "tokens are encrypted at rest"


def test_two_processes_refreshing_at_once_do_not_lock_the_workspace_out(hosted: Bot) -> None:
    install(hosted, BRUGGE, "Brugge Zorg", FLOR, "code-brugge", expires_in=3600)
    processes = [WorkspaceTokens(hosted.services.settings, hosted.db) for _ in range(2)]
    together = threading.Barrier(2)
    found: list[str | None] = []

    def ask(tokens: WorkspaceTokens) -> None:
        together.wait()
        grant = tokens.grant(BRUGGE)
        found.append(grant.bot_token if grant else None)

    threads = [threading.Thread(target=ask, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    refreshes = [c for c in hosted.fake.calls_to("oauth.v2.access") if c.get("refresh_token")]
    [_, new] = hosted.fake.tokens_of(BRUGGE)
    assert len(refreshes) == 1
    assert found == [new, new]
    later = WorkspaceTokens(hosted.services.settings, hosted.db).grant(BRUGGE)
    assert later is not None and later.bot_token == new


def test_uninstalling_one_workspace_deletes_its_tokens_and_content_while_another_runs_on(
    hosted: Bot, database_url: str
) -> None:
    install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    install(hosted, BRUGGE, "Brugge Zorg", FLOR, "code-brugge")
    a, b = both_meeting(hosted)

    reply = a.slack.event({"type": "app_uninstalled"})
    next_phase(b, BRUGGE)

    assert reply.status == 200
    hosted.fake.wait_for(
        "chat.postMessage", lambda c: c["channel"] == ZUID and c["text"].startswith("Phase 2/")
    )
    with hosted.db() as session:
        teams = set(session.scalars(select(SLACK_BOTS.c.team_id)))
        assert teams == {BRUGGE}
        assert set(session.scalars(select(Group.team_id))) == {BRUGGE}
        assert {p.team_id for p in session.scalars(select(Person))} <= {BRUGGE}
        assert session.scalars(select(CaseRun)).all() != []
        assert all(r.meeting.group.team_id == BRUGGE for r in session.scalars(select(CaseRun)))
    calls_before = len(hosted.fake.calls)
    jobs.tick_run(AMSTEL, 1)  # a job of Amstel's that was already due
    hosted.fake.settle()
    assert [
        c for c in hosted.fake.calls[calls_before:] if c.token in hosted.fake.tokens_of(AMSTEL)
    ] == []
    stored = raw_database_text(hosted, database_url)
    assert AMSTEL not in stored, "the workspace, in no row, key or database file"
    assert "Amstel Coaching" not in stored


def test_reinstalling_keeps_the_workspaces_groups(hosted: Bot) -> None:
    install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel")
    group_id = set_up_group(in_team(hosted, AMSTEL), AMSTEL, ANNA)

    again = install(hosted, AMSTEL, "Amstel Coaching", ANNA, "code-amstel-2")
    view = open_modal(in_team(hosted, AMSTEL), ANNA, "schedule", channel=NOORD)

    assert again.status == 200
    [_, newest] = hosted.fake.tokens_of(AMSTEL)
    assert [c.token for c in hosted.fake.calls_to("views.open") if c["view"] == view] == [newest]
    with hosted.db() as session:
        assert get_group(session, group_id) is not None


def test_a_signed_request_from_a_workspace_without_the_app_is_refused(hosted: Bot) -> None:
    reply = in_team(hosted, "T0NOBODY").slack.command(ANNA, NOORD, "setup")

    assert reply.status in (200, 401)
    hosted.fake.settle()
    assert hosted.fake.calls_to("views.open") == []


def test_an_old_single_workspace_database_upgrades_and_keeps_its_groups(
    fake_slack: FakeSlack, tmp_path: Path, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'before.db'}"
    engine = make_engine(url, Cipher([TEST_KEY]))
    command.upgrade(alembic_config(engine), "0014")  # the schema before many workspaces
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO groups (id, channel_id, name, cadence_weeks, meeting_minutes,"
                " language, timezone, ground_rules, case_request_days, agenda_hours,"
                " soon_minutes, created_at, updated_at) VALUES (7, :channel, 'Noord', 8, 120,"
                " 'en', 'Europe/Amsterdam', 'Stays here.', 7, 24, 15, :now, :now)"
            ),
            {"channel": NOORD, "now": "2026-11-01 10:00:00.000000"},
        )
        connection.execute(
            text("INSERT INTO group_members (group_id, user_id) VALUES (7, :anna)"), {"anna": ANNA}
        )

    prepare_database(engine)
    services = create_services(settings_for(fake_slack, url), make_session_factory(engine), clock)
    token_accepted(services)  # what the bot does at start, once Slack accepted its token
    running = serving(services, fake_slack, clock)
    next(running).slack.command(ANNA, NOORD, "group")
    running.close()

    [answer] = fake_slack.wait_for("response_url")
    assert "Noord" in answer.all_text
    with services.db() as session:
        group = group_in_channel(session, TEAM_ID, NOORD)
        assert group is not None and group.id == 7 and group.member_ids == [ANNA]
    engine.dispose()


def test_states_of_installs_never_completed_are_deleted_once_expired(hosted: Bot) -> None:
    add_to_slack(hosted)
    state, cookie = add_to_slack(hosted)
    hosted.clock.set(datetime.now(UTC) + timedelta(minutes=5))
    jobs.purge_expired_content()  # the hourly retention job
    with hosted.db() as session:
        assert len(session.execute(select(SLACK_OAUTH_STATES)).all()) == 2

    hosted.clock.set(datetime.now(UTC) + timedelta(minutes=11))
    jobs.purge_expired_content()

    with hosted.db() as session:
        assert session.execute(select(SLACK_OAUTH_STATES)).all() == []
    late = browse(hosted, f"/slack/oauth_redirect?code=c&state={state}", cookie)
    assert "has expired" in late.body
