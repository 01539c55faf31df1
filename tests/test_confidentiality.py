"""A unique marker in every confidential field, through a whole meeting: it shows up only in the
group's channel and its members' DMs and modals; never in a log line, an error, another
channel, or the raw database."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, select, text

from bot.logs import JsonLines, configure_logging
from storage.crypto import Cipher
from storage.models import Base, Case, Contribution, Evaluation, Takeaway
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD
from tests.slackkit.sender import Reply, Submit
from tests.test_cases import button, open_from_dm, planned
from tests.test_followup import DEC_1, evaluate, fire, write_takeaways
from tests.test_live_session import click, tick

__all__ = ["planned"]

TAG = "qx7z"
MEMBERS = (ANNA, BRAM, CHLOE, DEV)
PRIVATE_VIEWS = ("views.open", "views.update", "views.push")


def marker(field: str) -> str:
    return f"{field}-{TAG}"


def where_members_may_read(call: Call) -> bool:
    """The group's channel, a member's DM, a member's App Home, or a modal a member opened
    (the bot opens modals only on a member's own click)."""
    if call.method in PRIVATE_VIEWS or call.method == "response_url":
        return True
    target = str(call.get("channel") or call.get("channel_id") or call.get("user_id") or "")
    return target == NOORD or target in MEMBERS or target in {"D" + m[1:] for m in MEMBERS}


def raw_database_text(bot: Bot, database_url: str) -> str:
    """Every stored value as the database holds it, and for SQLite the files themselves."""
    found: list[str] = []
    with bot.db() as session:
        for name in (t.name for t in Base.metadata.sorted_tables):
            found += [repr(tuple(row)) for row in session.execute(text(f"SELECT * FROM {name}"))]
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        for suffix in ("", "-wal"):
            path = Path(url.database + suffix)
            if path.exists():
                found.append(read_elsewhere(path).decode("latin-1"))
    return "\n".join(found)


def read_elsewhere(path: Path) -> bytes:
    """Read a file in another process: closing a descriptor of a SQLite file in this process
    would drop this process's locks on the database its open connections rely on."""
    copy = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"
    return subprocess.run(
        [sys.executable, "-c", copy, str(path)], capture_output=True, check=True
    ).stdout


def run_a_whole_meeting(
    bot: Bot, text: Callable[[str], str], submit: Submit | None = None
) -> list[str]:
    """Bram brings in a case, the group runs it, Dev adds advice, Bram writes his takeaways and
    later how his goal went, and Anna evaluates the meeting: `text(field)` is what each
    free-text field holds, and `submit` sends each modal. Returns the bot's answers."""
    submit = submit or bot.slack.submit
    replies: list[str] = []

    view = open_from_dm(bot, BRAM)
    case = {
        "title": text("title"),
        "situation": text("situation"),
        "question": text("question"),
        "link": "https://docs.example/" + text("link").replace(" ", ""),
        "kind": "incident",
        "method": "incident",
        "urgency": "high",
    }
    replies.append(submit(BRAM, view, fill(view, **case)).body)

    bot.clock.set(DEC_1)
    bot.slack.command(ANNA, NOORD, "start")
    bot.fake.wait_for("chat.postMessage", lambda c: c["text"].startswith("Phase 1/"))
    for minutes in (5, 15, 8):
        tick(bot, minutes)
    click(bot, DEV, "run_add")
    view = bot.fake.wait_for("views.open", lambda c: "contribution" in json.dumps(c["view"]))[-1][
        "view"
    ]
    replies.append(submit(DEV, view, fill(view, text=text("advice"))).body)
    for minutes in (10, 6, 6):
        tick(bot, minutes)

    write_takeaways(
        bot,
        share=True,
        goal=text("goal"),
        title=text("title"),
        learned=text("learned"),
        attention=text("attention"),
        submit=submit,
    )

    bot.slack.command(BRAM, NOORD, "goals")
    goals = bot.fake.wait_for("response_url", lambda c: "goal_update" in json.dumps(c.params))[-1]
    update = button(goals, "goal_update")
    bot.slack.click(BRAM, "goal_update", update["value"], channel=NOORD, message_ts="43.1")
    view = bot.fake.wait_for("views.open", lambda c: c["view"]["callback_id"] == "goal_modal")[0][
        "view"
    ]
    reflected = fill(view, status="achieved", reflection=text("reflection"))
    replies.append(submit(BRAM, view, reflected).body)

    bot.clock.set(DEC_1 + timedelta(hours=2))
    fire(bot, "evaluation")
    evaluate(bot, ANNA, "5", "4", text("remark"), submit=submit)

    return replies


def test_a_whole_meeting_keeps_every_confidential_field_inside_the_group(
    planned: Bot, caplog: pytest.LogCaptureFixture, database_url: str
) -> None:
    bot = planned
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)

    replies = run_a_whole_meeting(bot, marker)

    with bot.db() as session:
        case_row = session.scalars(select(Case)).one()
        takeaway = session.scalars(select(Takeaway)).one()
        stored = [
            case_row.title,
            case_row.situation,
            case_row.question,
            case_row.link or "",
            *session.scalars(select(Contribution.text)),
            takeaway.learned or "",
            takeaway.attention or "",
            takeaway.goal or "",
            takeaway.reflection or "",
            *(r or "" for r in session.scalars(select(Evaluation.remark))),
        ]
    assert [next(f for f in FIELDS if marker(f) in value) for value in stored] == list(FIELDS)
    leaked = [
        f"{c.method} to {c.get('channel') or c.get('channel_id')}"
        for c in bot.fake.calls
        if TAG in json.dumps(c.params, ensure_ascii=False) and not where_members_may_read(c)
    ]
    assert leaked == []
    assert not [r for r in replies if TAG in r], "no error message repeats confidential text"
    logged = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert logged, "the bot logged while the meeting ran"
    assert not [line for line in logged if TAG in line]
    as_json = [json.loads(JsonLines().format(record)) for record in caplog.records]
    assert not [line for line in as_json if TAG in json.dumps(line, ensure_ascii=False)]
    assert TAG not in raw_database_text(bot, database_url)


FIELDS = (
    "title",
    "situation",
    "question",
    "link",
    "advice",
    "learned",
    "attention",
    "goal",
    "reflection",
    "remark",
)


def test_when_the_database_fails_on_every_confidential_write_nothing_is_logged_or_lost(
    planned: Bot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each confidential text is refused by the database the first time it is written (as a
    stray half character once made it): the person gets a friendly field error and keeps what
    they typed, Submit again saves it, and the log never holds the text."""
    bot = planned
    configure_logging("DEBUG")
    caplog.set_level(logging.DEBUG)
    encrypt = Cipher.encrypt
    refused: set[str] = set()

    def refuse_once(cipher: Cipher, value: str) -> str:
        field = next((f for f in FIELDS if marker(f) in value), None)
        if field is not None and field not in refused:
            refused.add(field)
            value += "\udcff"  # cannot be encoded: the write fails with the text in hand
        return encrypt(cipher, value)

    monkeypatch.setattr(Cipher, "encrypt", refuse_once)
    friendly: list[str] = []

    def submit_until_saved(user: str, view: dict[str, Any], values: dict[str, Any]) -> Reply:
        reply = bot.slack.submit(user, view, values)
        while reply.status == 200 and reply.body:
            friendly.extend(reply.json["errors"].values())
            assert len(friendly) <= len(FIELDS)
            reply = bot.slack.submit(user, view, values)
        return reply

    replies = run_a_whole_meeting(bot, marker, submit_until_saved)

    assert refused == set(FIELDS)
    assert replies == [""] * len(replies)
    assert set(friendly) == {  # in the language of whoever wrote it
        "This could not be saved just now. What you wrote is still here: "
        "press the button again in a moment.",
        "Dit kon nu even niet worden opgeslagen. Wat je schreef staat er nog: "
        "druk zo nog eens op de knop.",
    }
    logged = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert [line for line in logged if TAG in line] == []
    assert [line for line in logged if "listener failed: StatementError" in line]
