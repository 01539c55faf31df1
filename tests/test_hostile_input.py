"""Property-based: arbitrary and hostile values through every modal and the command. The answer
is always a field error, a friendly message or success; never a 500 or an unhandled exception."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Bot
from tests.slackkit.people import ANNA, NOORD
from tests.test_authorization import World, modal_views, world

__all__ = ["world"]

HOSTILE_TEXT = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=5), st.integers(700, 2000)
    ),
    st.sampled_from(
        [
            "",
            " ",
            "\x00\x01\x1b[31m",
            "<!channel> <!here> <@U0OSCAR>",
            "*bold* _it_ ~strike~ `code` ```block```",
            "🧠🔥👩🏽‍💻" * 200,
            "<script>alert(1)</script>",
            "'; DROP TABLE cases; --",
            "{not json",
            "\u202e\u200b\ufeff",
            "9" * 400,
            "-1",
            "1e309",
            "NaN",
        ]
    ),
)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    HOSTILE_TEXT,
    st.lists(HOSTILE_TEXT, max_size=4),
    st.dictionaries(st.text(max_size=10), HOSTILE_TEXT, max_size=3),
)
KEY_OF = {
    "plain_text_input": "value",
    "number_input": "value",
    "url_text_input": "value",
    "multi_users_select": "selected_users",
    "users_select": "selected_user",
    "static_select": "selected_option",
    "radio_buttons": "selected_option",
    "datetimepicker": "selected_date_time",
    "datepicker": "selected_date",
    "checkboxes": "selected_options",
    "timepicker": "selected_time",
}


@st.composite
def hostile_state(draw: st.DrawFn, view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """view.state.values with a hostile value (or none at all) in each input block."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input" or draw(st.integers(0, 9)) == 0:
            continue  # a missing field
        element = block["element"]
        kind = element["type"]
        value = draw(
            st.one_of(
                ANYTHING,
                st.fixed_dictionaries({"value": ANYTHING}),
                st.lists(st.fixed_dictionaries({"value": ANYTHING}), max_size=3),
            )
        )
        values[block["block_id"]] = {element["action_id"]: {"type": kind, KEY_OF[kind]: value}}
    return values


def no_listener_failed(caplog: pytest.LogCaptureFixture) -> None:
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    caplog.clear()
    assert failures == []


def answered_kindly(status: int, body: str) -> None:
    assert status == 200
    if body:
        answer = json.loads(body)
        assert answer["response_action"] in ("errors", "update", "clear", "push")
        for message in (answer.get("errors") or {}).values():
            assert isinstance(message, str) and 0 < len(message) <= 2000


FUZZ = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize(
    "callback",
    [
        "group_modal",
        "meeting_modal",
        "proposal_modal",
        "case_modal",
        "contribution_modal",
        "roles_modal",
        "durations_modal",
        "takeaway_modal",
        "goal_modal",
        "evaluation_modal",
    ],
)
def test_every_modal_answers_hostile_values_with_field_errors_or_success(
    bot: Bot, world: World, caplog: pytest.LogCaptureFixture, callback: str
) -> None:
    view, _values = modal_views(world, bot)[callback]
    caplog.set_level(logging.ERROR)

    @FUZZ
    @given(values=hostile_state(view), metadata=st.one_of(st.none(), HOSTILE_TEXT))
    def submit_hostile(values: dict[str, dict[str, Any]], metadata: str | None) -> None:
        sent = view if metadata is None else {**view, "private_metadata": metadata}
        reply = bot.slack.submit(ANNA, sent, values)
        answered_kindly(reply.status, reply.body)
        no_listener_failed(caplog)

    submit_hostile()
    no_listener_failed(caplog)


def test_the_command_answers_any_text_with_a_friendly_message(
    bot: Bot, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)

    @FUZZ
    @given(
        word=st.sampled_from(["", "help", "schedule", "case", "start", "export", "xyz", "🧠"]),
        rest=HOSTILE_TEXT,
    )
    def command_hostile(word: str, rest: str) -> None:
        reply = bot.slack.command(ANNA, NOORD, f"{word} {rest}")
        answered_kindly(reply.status, reply.body)
        no_listener_failed(caplog)

    command_hostile()
    no_listener_failed(caplog)
