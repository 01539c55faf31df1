"""A message whose send was cut off by a crash, before the bot recorded Slack's answer, is
looked up in its conversation (by the delivery key it carries as message metadata) and sent
only when Slack does not have it."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient

from storage.meetings import delivered
from storage.models import Delivery
from tests.conftest import Bot
from tests.slackkit.people import ANNA
from usecases.delivery import Notice, Outcome, send_dms
from usecases.sending import DELIVERY_EVENT

KEY = "reminder:7:case_request:U0ANNA"


def cut_off_by_a_crash(bot: Bot) -> None:
    """The bot claimed the DM a minute ago and died before it heard Slack's answer."""
    with bot.db.begin() as session:
        session.add(Delivery(key=KEY, created_at=bot.clock() - timedelta(minutes=1)))


def anna_dm(bot: Bot) -> list[dict[str, object]]:
    return [m for m in bot.fake.posted if m["channel"] == "D" + ANNA[1:]]


def test_a_dm_slack_took_before_the_crash_is_found_and_not_sent_again(bot: Bot) -> None:
    cut_off_by_a_crash(bot)
    before = WebClient(token="xoxb-test-token", base_url=bot.fake.api_url).chat_postMessage(
        channel=ANNA,
        text="Would you like to bring in a case?",
        metadata={"event_type": DELIVERY_EVENT, "event_payload": {"key": KEY}},
    )

    [outcome] = send_dms(bot.services, [Notice(KEY, ANNA, {"text": "Would you like to…"})])

    assert outcome is Outcome.SENT
    assert len(anna_dm(bot)) == 1
    with bot.db() as session:
        assert delivered(session, KEY) == (before["channel"], before["ts"])


def test_a_dm_slack_never_took_is_sent_once_with_its_key(bot: Bot) -> None:
    cut_off_by_a_crash(bot)

    [outcome] = send_dms(bot.services, [Notice(KEY, ANNA, {"text": "Would you like to…"})])
    [again] = send_dms(bot.services, [Notice(KEY, ANNA, {"text": "Would you like to…"})])

    assert (outcome, again) == (Outcome.SENT, Outcome.ALREADY_SENT)
    [dm] = anna_dm(bot)
    assert dm["metadata"] == {"event_type": DELIVERY_EVENT, "event_payload": {"key": KEY}}


def test_a_claim_younger_than_a_send_can_take_is_left_to_its_sender(bot: Bot) -> None:
    with bot.db.begin() as session:
        session.add(Delivery(key=KEY, created_at=bot.clock() - timedelta(seconds=3)))

    [outcome] = send_dms(bot.services, [Notice(KEY, ANNA, {"text": "Would you like to…"})])

    assert outcome is Outcome.IN_FLIGHT
    assert anna_dm(bot) == []


def test_when_slack_cannot_say_whether_it_has_the_message_the_next_try_looks_again(
    bot: Bot,
) -> None:
    """Slack took the DM before the crash, but the first look at the conversation fails: the
    message must not be sent as if it were new; the next try looks again and finds it."""
    cut_off_by_a_crash(bot)
    WebClient(token="xoxb-test-token", base_url=bot.fake.api_url).chat_postMessage(
        channel=ANNA,
        text="Would you like to bring in a case?",
        metadata={"event_type": DELIVERY_EVENT, "event_payload": {"key": KEY}},
    )
    bot.fake.fail_next("conversations.history", "internal_error")

    [first] = send_dms(bot.services, [Notice(KEY, ANNA, {"text": "Would you like to…"})])
    bot.clock.advance(timedelta(minutes=1))  # Slack allows the next look a minute later
    [second] = send_dms(bot.services, [Notice(KEY, ANNA, {"text": "Would you like to…"})])

    assert (first, second) == (Outcome.RETRY, Outcome.SENT)
    assert len(anna_dm(bot)) == 1
    assert len(bot.fake.calls_to("conversations.history")) == 2
