"""An anonymous visitor of the bot's public paths: whatever a query string holds, the answer is
a 4xx or the page, never a 500, a traceback or a forged log line; "Add to Slack" passes on only
a Slack team id, and one address cannot grow the database with install states."""

from __future__ import annotations

import http.client
import logging
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_services
from bot.web import MAX_INSTALL_VISITS, oauth_query
from storage.models import SLACK_OAUTH_STATES
from tests.conftest import Bot, FakeClock, serving, settings_for
from tests.slackkit.fake_slack import TEAM_ID, FakeSlack
from tests.slackkit.people import ANNA, NOORD
from tests.test_workspaces import browse, hosted  # noqa: F401  (the fixture)

HOSTILE = [
    "/slack/install?team=T0%0D%0AX-Injected:%201",
    "/slack/install?team=T0BRUGGE%26redirect_uri%3Dhttps%3A%2F%2Fevil.example%26scope%3Dadmin",
    "/slack/install?team=" + "T" * 5000,
    "/slack/install?%ff%fe=%00",
    "/slack/oauth_redirect?error=access_denied%0A2026-12-04%20ERROR%20forged%20line",
    "/slack/oauth_redirect?error=" + "x" * 60_000,
    "/slack/oauth_redirect?code=%0D%0A&state=%00",
    "/healthz?%0D%0A",
]


def states(bot: Bot) -> int:
    with bot.db() as session:
        return int(session.scalar(select(func.count()).select_from(SLACK_OAUTH_STATES)) or 0)


@pytest.mark.parametrize("path", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_query_string_gets_a_plain_answer_and_no_forged_log_line(
    hosted: Bot,  # noqa: F811
    path: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)

    page = browse(hosted, path)

    assert page.status < 500
    logged = [r.getMessage() for r in caplog.records]
    assert not [line for line in logged if "\n" in line or "forged" in line or len(line) > 500]
    assert not [r for r in caplog.records if r.exc_info], "no traceback"
    if page.status == 302:  # on to Slack's authorize page, with nothing the visitor added
        query = parse_qs(urlparse(page.headers["Location"]).query)
        assert set(query) <= {"client_id", "scope", "user_scope", "state", "redirect_uri"}
        assert query.get("team") is None


def test_add_to_slack_passes_on_a_slack_team_id_and_nothing_else(hosted: Bot) -> None:  # noqa: F811
    page = browse(hosted, "/slack/install?team=T0BRUGGE&redirect_uri=https://evil.example")

    query = parse_qs(urlparse(page.headers["Location"]).query)
    assert query["team"] == ["T0BRUGGE"]
    assert "evil.example" not in page.headers["Location"]


def test_one_address_cannot_grow_the_database_with_install_states(hosted: Bot) -> None:  # noqa: F811
    answers = [browse(hosted, "/slack/install").status for _ in range(MAX_INSTALL_VISITS + 30)]

    assert answers.count(302) == MAX_INSTALL_VISITS
    assert set(answers[MAX_INSTALL_VISITS:]) == {429}
    assert states(hosted) == MAX_INSTALL_VISITS


def test_the_host_s_paths_answer_get_and_head_only_and_pages_ask_for_https(bot: Bot) -> None:
    connection = http.client.HTTPConnection(urlparse(bot.url).netloc, timeout=10)
    for method in ("POST", "PUT", "DELETE"):
        connection.request(method, "/healthz", body=b"")
        answer = connection.getresponse()
        answer.read()
        assert (answer.status, answer.headers["Allow"]) == (405, "GET, HEAD")
    connection.request("HEAD", "/healthz")
    head = connection.getresponse()
    head.read()
    connection.close()
    assert head.status == 200

    page = browse(bot, "/")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize(
    ("install", "query", "kept"),
    [
        (True, "team=T0ABC&x=1", "team=T0ABC"),
        (True, "team=t0abc", ""),
        (False, "code=1.2-3&state=abc&extra=1", "code=1.2-3&state=abc"),
        (False, "error=access_denied", "error=access_denied"),
        (False, "error=access%20denied%0A", "error=unknown_error"),
    ],
)
def test_the_oauth_paths_read_only_what_they_need(install: bool, query: str, kept: str) -> None:
    assert oauth_query(install, query) == kept


@pytest.fixture
def our_app(
    fake_slack: FakeSlack, db: sessionmaker[Session], clock: FakeClock, database_url: str
) -> Iterator[Bot]:
    """The bot, knowing its own app id (SLACK_APP_ID)."""
    settings = settings_for(fake_slack, database_url, app_id="A0INTERVISIE")
    yield from serving(create_services(settings, db, clock, TEAM_ID), fake_slack, clock)


def test_a_signed_request_for_another_app_is_refused_and_nothing_is_done(our_app: Bot) -> None:
    bot = our_app
    other = bot.slack.command_body(ANNA, NOORD, "help") | {"api_app_id": "A0SOMEONEELSE"}

    refused = bot.slack.post(urlencode(other), "application/x-www-form-urlencoded")
    ours = bot.slack.command(ANNA, NOORD, "help")

    assert (refused.status, ours.status) == (403, 200)
    [answer] = bot.fake.wait_for("response_url")  # the help, for our own request only
    assert "intervisie" in answer.all_text.lower()
