"""Stories about starting the bot as a newcomer would: `python -m bot` in a shell."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import SIGNING_SECRET, TEST_KEY
from tests.processes import free_port, start_bot_process, start_logging_bot
from tests.slackkit.fake_slack import CLIENT_ID, CLIENT_SECRET, FakeSlack
from tests.slackkit.people import CHLOE, NOORD
from tests.slackkit.sender import SlackSender


def bot_env(fake: FakeSlack, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "ENCRYPTION_"))
    }
    env.update(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=database_url,
        RUN_SCHEDULER="false",
        SLACK_PACING="false",
        ENCRYPTION_KEY=TEST_KEY,
        PORT=str(free_port()),
    )
    env.update(extra)
    return env


def scheduler_env(fake: FakeSlack, database_url: str, port: int, time_scale: int) -> dict[str, str]:
    """A bot process that runs the scheduler at rehearsal speed."""
    return bot_env(
        fake,
        database_url,
        PORT=str(port),
        RUN_SCHEDULER="true",
        TIME_SCALE=str(time_scale),
    )


def run_bot(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot"], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def http_bot(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path, engine: object
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=bot_env(fake_slack, database_url, PORT=str(port)),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"the bot did not start:\n{output}") from None
            time.sleep(0.1)
    yield process, url
    if process.poll() is None:
        process.kill()
        process.wait()


def test_the_bot_started_in_http_mode_answers_a_signed_help_command(
    http_bot: tuple[subprocess.Popen[str], str], fake_slack: FakeSlack
) -> None:
    _process, url = http_bot
    slack = SlackSender(f"{url}/slack/events", SIGNING_SECRET, fake_slack)

    reply = slack.command(CHLOE, NOORD, "help")

    assert reply.status == 200
    [answer] = fake_slack.wait_for("response_url")
    assert "What you can type" in answer.all_text
    assert fake_slack.calls_to("auth.test"), "the bot checks its token at start"


def test_the_running_bot_learns_its_app_and_refuses_requests_naming_another(
    http_bot: tuple[subprocess.Popen[str], str], fake_slack: FakeSlack
) -> None:
    _process, url = http_bot
    slack = SlackSender(f"{url}/slack/events", SIGNING_SECRET, fake_slack)
    other = slack.command_body(CHLOE, NOORD, "help") | {"api_app_id": "A0SOMEONEELSE"}

    refused = slack.post(urlencode(other), "application/x-www-form-urlencoded")
    ours = slack.command(CHLOE, NOORD, "help")

    assert (refused.status, ours.status) == (403, 200)
    assert fake_slack.calls_to("bots.info"), "Slack said which app the bot belongs to"
    assert len(fake_slack.wait_for("response_url")) == 1


def test_the_running_bot_refuses_a_forged_signature_with_401(
    http_bot: tuple[subprocess.Popen[str], str], fake_slack: FakeSlack
) -> None:
    _process, url = http_bot
    slack = SlackSender(f"{url}/slack/events", "not-the-secret", fake_slack)

    reply = slack.command(CHLOE, NOORD, "help")

    assert reply.status == 401


def test_sigterm_stops_the_bot_cleanly(http_bot: tuple[subprocess.Popen[str], str]) -> None:
    process, _url = http_bot

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=20) == 0
    output = process.stdout.read() if process.stdout else ""
    assert "Traceback" not in output
    assert "stopped" in output


def test_without_a_bot_token_the_bot_says_what_to_set(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    env = bot_env(fake_slack, database_url)
    del env["SLACK_BOT_TOKEN"]

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert ".env" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_app_token_in_the_bot_token_setting_is_explained(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    result = run_bot(bot_env(fake_slack, database_url, SLACK_BOT_TOKEN="xapp-1-abc"), tmp_path)

    assert result.returncode == 2
    assert "must be the bot token that starts with 'xoxb-'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_revoked_bot_token_is_reported_in_one_sentence(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    fake_slack.fail_next("auth.test", "invalid_auth")

    result = run_bot(bot_env(fake_slack, database_url), tmp_path)

    assert result.returncode == 2
    assert "Slack did not accept SLACK_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_database_url_is_reported(fake_slack: FakeSlack, tmp_path: Path) -> None:
    result = run_bot(bot_env(fake_slack, "not a url"), tmp_path)

    assert result.returncode == 2
    assert "DATABASE_URL is not a database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_reported(fake_slack: FakeSlack, tmp_path: Path) -> None:
    url = f"postgresql://nobody@127.0.0.1:{free_port()}/nothing"

    result = run_bot(bot_env(fake_slack, url), tmp_path)

    assert result.returncode == 2
    assert "Cannot open the database at DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_that_is_taken_is_reported(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_bot(bot_env(fake_slack, database_url, PORT=str(port)), tmp_path)

    assert result.returncode == 2
    assert f"Port {port} is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_come_from_a_dotenv_file_in_the_working_directory(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    env = bot_env(fake_slack, database_url)
    del env["SLACK_BOT_TOKEN"]
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxp-a-user-token\n")

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert "starts with 'xoxp-'" in result.stderr


def test_a_port_that_is_not_a_number_is_reported(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    env = bot_env(fake_slack, database_url, PORT="not-a-port")

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert "PORT must be a number" in result.stderr


def test_with_an_app_token_the_bot_connects_over_socket_mode_and_serves_no_port(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_env(fake_slack, database_url, SLACK_APP_TOKEN="xapp-1-test", PORT=str(port))
    del env["SLACK_SIGNING_SECRET"]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # First the token check, then the connection itself.
        opened = fake_slack.wait_for("apps.connections.open", count=2, timeout=30)
        assert {call.token for call in opened} == {"xapp-1-test"}
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
    finally:
        process.send_signal(signal.SIGTERM)
        _, logged = process.communicate(timeout=20)
    assert process.returncode == 0
    # The fake Slack has no WebSocket server: the bot never claims to be connected.
    assert "connected to Slack over Socket Mode" not in logged


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_usage_and_starts_nothing(flag: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", flag], cwd=tmp_path, capture_output=True, text=True
    )

    assert result.returncode == 0
    assert "usage: python -m bot" in result.stdout
    assert "generate-key" in result.stdout and ".env" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_version_and_an_unknown_argument(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "bot", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    unknown = subprocess.run(
        [sys.executable, "-m", "bot", "--frobnicate"], cwd=tmp_path, capture_output=True, text=True
    )

    assert version.returncode == 0 and version.stdout.startswith("intervisie-bot 0.")
    assert unknown.returncode == 2
    assert "unknown argument '--frobnicate'" in unknown.stderr and "usage:" in unknown.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_rejected_token_leaves_no_database_or_key_file_behind(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.fail_next("auth.test", "invalid_auth")
    env = bot_env(fake_slack, "sqlite:///intervisie.db")
    del env["ENCRYPTION_KEY"]

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert "Slack did not accept SLACK_BOT_TOKEN" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_socket_mode_app_token_that_slack_rejects_is_one_sentence(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    fake_slack.fail_next("apps.connections.open", "invalid_auth")
    env = bot_env(fake_slack, database_url, SLACK_APP_TOKEN="xapp-1-revoked")

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert "Slack did not accept SLACK_APP_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_taken_port_stops_the_bot_before_it_creates_anything(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(fake_slack, "sqlite:///intervisie.db", PORT=str(port))
        del env["ENCRYPTION_KEY"]

        result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "url,expected",
    [
        ("sqlite:///:memory:", "DATABASE_URL points to an in-memory SQLite database"),
        ("sqlite://", "DATABASE_URL points to an in-memory SQLite database"),
        ("postgresql://bot:s3cr%40t@127.0.0.1:1/db", "Cannot open the database"),
    ],
)
def test_database_urls_that_cannot_work_are_one_sentence_and_never_show_a_password(
    fake_slack: FakeSlack, tmp_path: Path, url: str, expected: str
) -> None:
    result = run_bot(bot_env(fake_slack, url), tmp_path)

    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cr" not in result.stderr + result.stdout


def test_a_percent_sign_in_the_database_path_is_fine(fake_slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = bot_env(fake_slack, f"sqlite:///{tmp_path}/100%intervisie.db", PORT=str(port))
    process = start_bot_process(env, tmp_path, port)
    process.terminate()

    assert process.wait(timeout=20) == 0
    assert (tmp_path / "100%intervisie.db").exists()


@pytest.mark.parametrize("where", ["a directory", "under a file"])
def test_a_key_file_setting_that_cannot_be_a_file_is_one_sentence(
    fake_slack: FakeSlack, tmp_path: Path, where: str
) -> None:
    (tmp_path / "plain").write_text("not a directory")
    (tmp_path / "keys").mkdir()
    path = tmp_path / "keys" if where == "a directory" else tmp_path / "plain" / "bot.key"
    env = bot_env(fake_slack, f"sqlite:///{tmp_path}/bot.db", ENCRYPTION_KEY_FILE=str(path))
    del env["ENCRYPTION_KEY"]

    result = run_bot(env, tmp_path)

    assert result.returncode == 2
    assert f"ENCRYPTION_KEY_FILE {path} cannot be used" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_sqlite_database_and_its_key_are_for_the_owner_only(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_env(fake_slack, "sqlite:///intervisie.db", PORT=str(port))
    del env["ENCRYPTION_KEY"]
    process = start_bot_process(env, tmp_path, port)
    process.terminate()
    assert process.wait(timeout=20) == 0

    made = {p.name: p.stat().st_mode & 0o777 for p in tmp_path.iterdir()}
    assert made["intervisie.db"] == 0o600 and made["intervisie.db.key"] == 0o600
    assert all(mode == 0o600 for name, mode in made.items() if name.startswith("intervisie.db"))


def test_an_idle_bot_is_quiet_and_says_nothing_of_unused_tokens(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path, db: object
) -> None:
    """Idle: an empty database (`db`), so that no group another test left behind gives the
    scheduler's leader something to do (a year review in December, a missing panel)."""
    port = free_port()
    env = bot_env(fake_slack, database_url, PORT=str(port), RUN_SCHEDULER="true")
    process = start_logging_bot(env, tmp_path, port)
    # The scheduler runs jobs every second; after a second for start-up, three seconds of
    # idling show whether they talk.
    time.sleep(1)
    idle_from = datetime.now()
    time.sleep(3)
    process.terminate()
    _, logged = process.communicate(timeout=20)

    lines = logged.splitlines()
    assert any("serving Slack requests" in line for line in lines)
    idle = [
        line
        for line in lines
        if datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S") > idle_from and "stop" not in line
    ]
    assert idle == []
    assert not [line for line in lines if "unused" in line or "will be ignored" in line]


def test_with_log_level_debug_the_libraries_still_say_nothing_below_info(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path, engine: object
) -> None:
    port = free_port()
    env = bot_env(fake_slack, database_url, PORT=str(port), LOG_LEVEL="DEBUG")
    process = start_logging_bot(env, tmp_path, port)
    slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, fake_slack)
    assert slack.command(CHLOE, NOORD, "help").status == 200
    fake_slack.wait_for("response_url")
    process.terminate()
    _, logged = process.communicate(timeout=20)

    debug = [line.split()[3] for line in logged.splitlines() if " DEBUG " in line]
    assert [name for name in debug if name.startswith(("slack", "urllib3", "bot.app"))] == []


def test_with_the_apps_credentials_the_bot_serves_add_to_slack_for_any_workspace(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path, engine: object
) -> None:
    env = bot_env(
        fake_slack, database_url, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET
    )
    del env["SLACK_BOT_TOKEN"]
    port = int(env["PORT"])
    process = start_bot_process(env, tmp_path, port)
    try:
        landing = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        opener = urllib.request.build_opener(NoRedirects)
        try:
            opener.open(f"http://127.0.0.1:{port}/slack/install", timeout=5)
            raise AssertionError("the install page should send the browser to Slack")
        except urllib.error.HTTPError as redirect:
            location = redirect.headers["Location"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)

    assert 'href="/slack/install"' in landing
    assert location.startswith(f"{fake_slack.base}/oauth/v2/authorize?")
    assert f"client_id={CLIENT_ID}" in location
    assert [c for c in fake_slack.calls if c.method == "auth.test"] == []


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
