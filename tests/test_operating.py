"""Stories of whoever hosts the bot: what `/metrics` shows while groups meet, who may read it,
when `/readyz` tells a load balancer to stay away, and logs as JSON lines."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from bot.app import create_app
from bot.logs import JsonLines
from bot.metrics import Metrics, request_kind
from bot.web import Watch, wsgi_app
from storage.migrate import database_not_ready, head_revision, upgrade_to_head
from tests.conftest import METRICS_TOKEN, SIGNING_SECRET, Bot, metrics_of
from tests.processes import free_port, start_logging_bot
from tests.slackkit.fake_slack import TEAM_ID, FakeSlack
from tests.slackkit.people import ANNA, BRAM, NOORD
from tests.test_live_session import INCIDENT, a_meeting_day, click, start_meeting, tick
from tests.test_running_the_bot import bot_env
from tests.test_scheduler import wait_until


@pytest.fixture
def meeting_day(bot: Bot) -> Bot:
    return a_meeting_day(bot)


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str, token: str | None = METRICS_TOKEN) -> str:
    request = urllib.request.Request(f"{url}/metrics")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
        return str(response.read().decode())


def samples(text: str) -> Samples:
    """Every sample of the exposition, read with prometheus-client's own parser."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_a_meeting_moves_the_counters_a_host_watches(meeting_day: Bot) -> None:
    bot = meeting_day
    before = samples(scrape(bot.url))

    start_meeting(bot)  # a facilitator's command
    click(bot, BRAM, "run_next")  # the case owner's button: on to phase 2
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 2/"))
    tick(bot, 13)  # two minutes left: the prompt is edited, nothing new is posted
    tick(bot, 2.5)  # the timer ends phase 2, half a minute after its moment
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 3/"))
    after = samples(scrape(bot.url))

    assert moved(before, after, "intervisie_ack_seconds_count", kind="command") == 1
    assert moved(before, after, "intervisie_ack_seconds_count", kind="action") == 1
    # Three prompts: at the start, after the click, and when the timer ended phase 2.
    assert moved(before, after, "intervisie_prompts_sent_total") == 3
    assert moved(before, after, "intervisie_prompt_lateness_seconds_count") == 3
    # The test's clock stands still while prompts go out: the timer's came 30 s after its
    # moment, the others at once.
    assert moved(before, after, "intervisie_prompt_lateness_seconds_sum") == pytest.approx(30)
    assert moved(before, after, "intervisie_prompt_lateness_seconds_bucket", le="60.0") == 3
    assert moved(before, after, "intervisie_prompt_lateness_seconds_bucket", le="10.0") == 2
    posted = len(bot.fake.calls_to("chat.postMessage"))
    assert (
        value(after, "intervisie_slack_calls_total", method="chat.postMessage", outcome="ok")
        == posted
    )
    assert value(after, "intervisie_slack_call_seconds_count", method="chat.postMessage") == posted
    assert value(after, "intervisie_groups") == 1
    assert value(after, "intervisie_workspaces") == 1
    assert value(after, "intervisie_token_refreshes_total", outcome="failed") == 0


def test_slack_s_refusal_over_its_rate_limit_shows_as_ratelimited(meeting_day: Bot) -> None:
    bot = meeting_day
    bot.fake.hold_workspace(TEAM_ID, 30, method="chat.postMessage")

    bot.slack.command(ANNA, NOORD, "start")

    def limited() -> float:
        found = samples(scrape(bot.url))
        labels = {"method": "chat.postMessage", "outcome": "ratelimited"}
        return value(found, "intervisie_slack_calls_total", **labels)

    wait_until(lambda: limited() >= 1)
    refused = [c for c in bot.fake.calls if c.method == "chat.postMessage" and c.failed]
    assert refused, "Slack answered 429"


def test_no_label_or_value_holds_content_or_a_person(meeting_day: Bot) -> None:
    bot = meeting_day
    start_meeting(bot)
    tick(bot, 5)
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 2/"))

    text = scrape(bot.url)

    for said in (INCIDENT.title, INCIDENT.situation, "Noord", "U0ANNA", "U0BRAM", TEAM_ID, NOORD):
        assert said not in text
    labels = {name for sample in samples(text) for name, _ in sample[1]}
    assert labels <= {"kind", "method", "outcome", "le"}


def test_only_the_token_opens_the_metrics(bot: Bot) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:
        scrape(bot.url, token=None)
    assert missing.value.code == 401
    with pytest.raises(urllib.error.HTTPError) as wrong:
        scrape(bot.url, token="not-the-token-at-all")
    assert wrong.value.code == 401
    assert "intervisie_ack_seconds" in scrape(bot.url)


def call(application: object, path: str) -> tuple[str, bytes]:
    """One GET to a WSGI application, as a server would make it."""
    environ: dict[str, object] = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    said: list[str] = []
    body = b"".join(application(environ, lambda status, _headers: said.append(status)))  # type: ignore[operator]
    return said[0], body


def test_without_a_token_the_public_port_has_no_metrics(bot: Bot) -> None:
    watch = Watch(lambda: False, lambda: None, metrics_of(bot.services))
    application = wsgi_app(create_app(bot.services), SIGNING_SECRET, watch)

    assert call(application, "/metrics")[0] == "404 Not Found"


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'fresh.db'}"


def test_ready_only_once_the_database_is_migrated(bot: Bot, fresh_database: str) -> None:
    engine = create_engine(fresh_database)
    head = head_revision(engine)
    watch = Watch(lambda: False, lambda: database_not_ready(engine, head), Metrics())
    application = wsgi_app(create_app(bot.services), SIGNING_SECRET, watch)

    assert call(application, "/readyz") == ("503 Service Unavailable", b"database not migrated")
    upgrade_to_head(engine)
    assert call(application, "/readyz") == ("200 OK", b"ready")
    assert call(application, "/healthz") == ("200 OK", b"ok")
    gone = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    unreachable = Watch(lambda: False, lambda: database_not_ready(gone, head), Metrics())
    assert call(wsgi_app(create_app(bot.services), SIGNING_SECRET, unreachable), "/readyz") == (
        "503 Service Unavailable",
        b"database unreachable",
    )


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_stopping_bot_tells_the_load_balancer_before_its_port_closes(
    fake_slack: FakeSlack, database_url: str, tmp_path: Path
) -> None:
    port, metrics_port = free_port(), free_port()
    env = bot_env(
        fake_slack,
        database_url,
        PORT=str(port),
        STOP_GRACE="3",
        LOG_FORMAT="json",
        METRICS_PORT=str(metrics_port),
    )
    process = start_logging_bot(env, tmp_path, port)
    try:
        assert get(f"http://127.0.0.1:{port}/readyz") == (200, b"ready")
        assert get(f"http://127.0.0.1:{metrics_port}/metrics")[0] == 200, "127.0.0.1: no token"

        process.send_signal(signal.SIGTERM)

        assert get(f"http://127.0.0.1:{port}/readyz") == (503, b"stopping")
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200, "alive while it stops"
        _, logged = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    lines = [json.loads(line) for line in logged.splitlines() if line.strip()]
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    messages = [line["message"] for line in lines]
    assert any(m.startswith("serving Slack requests on port") for m in messages)
    assert any(m.startswith("serving metrics on port") for m in messages)
    assert messages[-1] == "stopped"


def test_a_json_log_line_carries_ids_as_fields_and_the_traceback() -> None:
    logger = logging.getLogger("intervisie.test")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "case run %s failed", (7,), sys.exc_info()
        )
    record.team, record.run = TEAM_ID, 7

    line = json.loads(JsonLines().format(record))

    assert line["message"] == "case run 7 failed"
    assert (line["level"], line["team"], line["run"]) == ("ERROR", TEAM_ID, 7)
    assert line["exception"].splitlines()[-1] == "ValueError: boom"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"token=x&command=%2Fintervisie&text=start", "command"),
        (b"payload=%7B%22type%22%3A%22block_actions%22%7D", "action"),
        (b"payload=%7B%22type%22%3A%22view_submission%22%7D", "view"),
        (b"payload=%7B%22type%22%3A%22shortcut%22%7D", "shortcut"),
        (b'{"type":"event_callback"}', "event"),
        (b"payload=not-json", "other"),
        (b"payload=%5B1%5D", "other"),
    ],
)
def test_each_slack_request_is_counted_by_its_kind(body: bytes, kind: str) -> None:
    assert request_kind(body) == kind


def test_the_version_is_the_newest_in_the_changelog(project_root: Path) -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "bot", "--version"], capture_output=True, text=True, check=True
    ).stdout
    changelog = (project_root / "CHANGELOG.md").read_text()
    newest = next(line for line in changelog.splitlines() if line.startswith("## ["))
    version = newest.removeprefix("## [").split("]")[0]
    assert printed == f"intervisie-bot {version}\n"
