"""The pages for people: what the bot is and its privacy statement, in Dutch or English."""

from __future__ import annotations

import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from methods.groups import RETENTION_RANGE, GroupFields
from rendering.i18n import preferred_language
from tests.conftest import Bot
from tests.processes import free_port, start_bot_process
from tests.slackkit.fake_slack import FakeSlack
from tests.test_running_the_bot import bot_env


def visit(url: str, language: str | None = None, method: str = "GET") -> tuple[int, dict, str]:
    request = urllib.request.Request(url, method=method)
    if language:
        request.add_header("Accept-Language", language)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_a_dutch_browser_reads_the_privacy_statement_in_dutch_with_the_hosts_contact(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_env(fake_slack, database_url, PORT=str(port), SUPPORT_EMAIL="privacy@noord.nl")
    bot = start_bot_process(env, tmp_path, port)
    try:
        status, headers, page = visit(f"http://127.0.0.1:{port}/privacy", "nl-NL,nl;q=0.9,en;q=0.5")
        _, _, english = visit(f"http://127.0.0.1:{port}/privacy?lang=en", "nl-NL")
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait(timeout=20)

    assert status == 200
    assert headers["Content-Language"] == "nl"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="nl">' in page
    assert "<h1>Privacyverklaring</h1>" in page
    assert '<a href="mailto:privacy@noord.nl">privacy@noord.nl</a>' in page
    days = GroupFields.retention_days
    assert f"{days} dagen na de bijeenkomst gewist" in page
    assert f"tussen {RETENTION_RANGE.start} en {RETENTION_RANGE.stop - 1} dagen" in page
    assert "<h1>Privacy statement</h1>" in english, "a link switches the language"


def test_without_a_contact_address_the_statement_points_to_whoever_installed_the_bot(
    bot: Bot,
) -> None:
    status, _, page = visit(f"{bot.url}/privacy", "en-GB")

    assert status == 200
    assert "ask the person who installed the bot in your workspace" in page
    assert "mailto:" not in page


def test_the_landing_page_says_what_the_bot_does_and_links_to_the_privacy_statement(
    bot: Bot,
) -> None:
    status, headers, page = visit(f"{bot.url}/", "de-DE,en;q=0.8")

    assert status == 200
    assert headers["Content-Language"] == "en"
    assert "<h1>Intervisie bot</h1>" in page
    assert '<a href="/privacy?lang=en">Read the privacy statement</a>' in page
    assert f"deleted {GroupFields.retention_days} days after its meeting" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_a_page_is_only_read(bot: Bot) -> None:
    status, headers, _ = visit(f"{bot.url}/privacy", method="POST")

    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("nl", "nl"),
        ("nl-BE", "nl"),
        ("en-US,nl;q=0.9", "en"),
        ("fr-FR,nl;q=0.7,en;q=0.3", "nl"),
        ("nl;q=0.2,en;q=0.8", "en"),
        ("nl;q=0, en", "en"),
        ("fr, de", "en"),
        ("nl;q=abc", "en"),
        ("*", "en"),
    ],
)
def test_the_browsers_first_choice_of_dutch_or_english_wins(
    header: str | None, language: str
) -> None:
    assert preferred_language(header) == language
