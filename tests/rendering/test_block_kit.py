"""The Block Kit check (tests/slackkit/blockkit.py) refuses what Slack refuses (a repeated
action_id in one block was how the goal check-in broke), and the reading check
(tests/slackkit/reading.py) sees what a member would misread.
tests/rendering/test_every_surface.py runs both over every surface the bot makes."""

from __future__ import annotations

from rendering.blocks import fit
from tests.slackkit.blockkit import message_problems, view_problems
from tests.slackkit.reading import misread, misread_file


def test_slack_refuses_a_repeated_action_id_in_one_block() -> None:
    buttons = [
        {"type": "button", "text": {"type": "plain_text", "text": t}, "action_id": "same"}
        for t in ("Achieved", "Partly")
    ]
    message = {"text": "How did it go?", "blocks": [{"type": "actions", "elements": buttons}]}

    assert message_problems(message) == [
        "blocks[0]: action_id 'same' is used more than once in this block"
    ]


def test_slack_refuses_what_breaks_its_limits() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    same = {"type": "divider", "block_id": "b"}
    assert message_problems({"text": "t", "blocks": [header, same, same]}) == [
        "blocks[0].text: text is 151 characters, at most 150",
        "blocks: block_id 'b' is used more than once",
    ]
    assert message_problems({"text": "t", "blocks": [{"type": "divider"}] * 51}) == [
        "blocks: 51, at most 50"
    ]
    title = {"type": "plain_text", "text": "Feedback op de bijeenkomst"}
    assert view_problems({"type": "modal", "title": title, "blocks": []}) == [
        "title: text is 26 characters, at most 24"
    ]
    empty = {"type": "section", "text": {"type": "mrkdwn", "text": ""}}
    assert message_problems({"text": "t", "blocks": [empty]}) == [
        "blocks[0].text: text must not be empty"
    ]


def test_a_text_too_long_for_slack_is_cut_after_a_whole_word() -> None:
    assert fit("Feedback op de bijeenkomst", 24) == "Feedback op de…"
    assert fit("Feedback", 24) == "Feedback"
    assert fit("Donaudampfschifffahrtsgesellschaft", 10) == "Donaudamp…"


def test_the_check_sees_what_a_member_would_misread() -> None:
    wrong = {"blocks": [{"text": {"type": "mrkdwn", "text": "Hi &lt;@U0ANNA&gt;, {name}"}}]}
    assert len(misread(wrong)) == 2
    assert misread({"text": "1 vote(s), 2 dag(en)"}) == [
        "plural in brackets 'e(s)': 1 vote(s), 2 dag(en)",
        "plural in brackets 'g(en)': 1 vote(s), 2 dag(en)",
    ]
    date = "<!date^1796278680^{date_long_pretty} at {time}|2026-12-03 07:18 (Europe/Amsterdam)>"
    assert misread({"text": f"{date} with &lt;tags&gt;"}) == []
    wrong_hour = date.replace("07:18", "08:18")
    assert misread({"text": wrong_hour}) == [
        "2026-12-03 08:18 (Europe/Amsterdam) for 2026-12-03 07:18"
    ]


def test_what_a_person_typed_may_look_like_markup_and_is_read_as_typed() -> None:
    shown = {"text": "Ask &lt;@U0ANNA&gt; about {count}"}
    assert misread(shown, ["Ask <@U0ANNA> about {count}"]) == []
    assert len(misread(shown)) == 2
    assert misread_file("A &amp; B :tada: <!here>") == [
        "Slack markup <!here> in a file: A &amp; B :tada: <!here>",
        "&amp; shown as is: A &amp; B :tada: <!here>",
        "emoji shortcode :tada: in a file",
    ]
    assert misread_file("<p>A &amp; B &lt;b&gt;</p>", page=True) == []
    assert misread_file("<p>A &amp;amp; B</p>", page=True) == ["&amp; shown as is: A &amp; B"]
