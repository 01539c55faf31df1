"""Whatever members type is shown as text: a `<!channel>` in a case title, a group name or a
piece of advice never pings the channel, mentions a person or becomes a disguised link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import jobs
from rendering.blocks import plain, section
from rendering.markup import Mrkdwn, escape, fmt, join, mention, unescape
from tests.conftest import Bot
from tests.slackkit.fake_slack import Call
from tests.slackkit.people import ANNA, BRAM, NOORD, OSCAR
from tests.stories import schedule
from tests.test_cases import AMSTERDAM, fire
from tests.test_confidentiality import run_a_whole_meeting
from tests.test_followup import DEC_1
from tests.test_groups import set_up_noord

PINGS = ("<!channel>", "<!here>", "<@U0EVIL>", "<https://x.example|y>")
# What a member who wants to cause trouble types in every free-text field.
HOSTILE = " ".join(PINGS)


# The free-text fields whose text this story shows in the channel or a member's DM.
FIELDS = ("name", "rule", "place", "title", "advice", "goal", "learned")


def hostile(field: str) -> str:
    return f"{field} {HOSTILE} & more"


def markup_texts(node: Any, top: bool = True) -> list[str]:
    """Every text Slack would read as markup: `mrkdwn` objects and a message's `text`."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" or (top and isinstance(node.get("text"), str)):
            found.append(str(node["text"]))
        for key, value in node.items():
            if key != "text" or not isinstance(value, str):
                found += markup_texts(value, top=False)
    elif isinstance(node, list):
        for item in node:
            found += markup_texts(item, top=False)
    return found


def unescaped(calls: list[Call]) -> list[str]:
    """Markup texts that would ping, mention or link, and bot markup escaped twice."""
    bad: list[str] = []
    for call in calls:
        for text in markup_texts(call.params):
            if any(p in text for p in PINGS) or "&amp;lt;" in text or "&amp;amp;" in text:
                bad.append(f"{call.method}: {text[:120]}")
    return bad


def shown_as_text(calls: list[Call]) -> int:
    escaped = escape(HOSTILE)
    return sum(text.count(escaped) for call in calls for text in markup_texts(call.params))


def test_hostile_text_in_every_field_of_a_whole_meeting_is_shown_as_typed(bot: Bot) -> None:
    set_up_noord(bot, name=hostile("name"), rules=hostile("rule"), group_language="en")
    schedule(bot, ANNA, DEC_1, where=hostile("place"))
    bot.fake.wait_for("files.completeUploadExternal")
    jobs.install(bot.services)
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=AMSTERDAM))
    fire(bot, "case_request")

    replies = run_a_whole_meeting(bot, hostile)
    bot.slack.command(BRAM, NOORD, "<!channel>")
    bot.fake.wait_for("response_url", lambda c: "/intervisie &lt;!channel&gt;" in c.all_text)

    assert all(reply == "" for reply in replies)
    calls = bot.fake.calls
    assert unescaped(calls) == []
    # Every field was shown somewhere, as the text its author typed.
    shown = "\n".join(text for call in calls for text in markup_texts(call.params))
    missing = [f for f in FIELDS if escape(hostile(f)) not in shown]
    assert missing == []
    assert shown_as_text(calls) >= len(FIELDS)


def test_a_refusal_does_not_name_the_group(bot: Bot) -> None:
    set_up_noord(bot, name=hostile("name"))
    bot.fake.wait_for("pins.add")

    bot.slack.command(OSCAR, NOORD, "group")

    [refusal] = bot.fake.wait_for("response_url", lambda c: c.get("user") != ANNA)
    assert "name" not in refusal.all_text and "<!channel>" not in refusal.all_text
    assert "members" in refusal.all_text or "leden" in refusal.all_text


def test_bot_markup_is_kept_and_typed_markup_is_escaped_once() -> None:
    typed = "a <!here> & b"
    line = fmt("*{}* {} {}", typed, mention("U0ANNA"), Mrkdwn("<!date^1^{time}|x>"))

    assert line == "*a &lt;!here&gt; &amp; b* <@U0ANNA> <!date^1^{time}|x>"
    assert escape(line) == line, "markup the bot made is not escaped again"
    assert join(", ", [typed, mention("U0BRAM")]) == "a &lt;!here&gt; &amp; b, <@U0BRAM>"
    assert mention("<!channel>") == "&lt;!channel&gt;", "only a real user id becomes a mention"
    assert section(typed)["text"]["text"] == "a &lt;!here&gt; &amp; b"
    assert plain(fmt("{}", typed))["text"] == typed, "plain text shows what was typed"
    assert unescape(escape(typed)) == typed
