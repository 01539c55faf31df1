"""Stories about starting the bot as a newcomer would: `python -m bot` in a shell."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SIGNING_SECRET, TEST_KEY
from tests.slackkit.fake_slack import FakeSlack
from tests.slackkit.people import CHLOE, NOORD
from tests.slackkit.sender import SlackSender


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        ENCRYPTION_KEY=TEST_KEY,
    )
    env.update(extra)
    return env


def scheduler_env(fake: FakeSlack, database_url: str, port: int, time_scale: int) -> dict[str, str]:
    """A bot process that runs the scheduler at rehearsal speed, quick to take over after a kill."""
    return bot_env(
        fake,
        database_url,
        PORT=str(port),
        RUN_SCHEDULER="true",
        SCHEDULER_LEASE_SECONDS="2",
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
        [sys.executable, "-m", "bot"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    try:
        [opened] = fake_slack.wait_for("apps.connections.open", timeout=30)
        assert opened.token == "xapp-1-test"
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
