"""Candidate times in the channel: who can make each one, and a button to confirm it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rendering.blocks import Block, button, confirm_dialog, context, header, section
from rendering.i18n import Translator
from rendering.markup import fmt, mention, mentions
from rendering.meeting_facts import where
from rendering.times import slack_time

VOTE = "poll_vote"
CONFIRM = "poll_confirm"
OTHER_TIME = "poll_other_time"


@dataclass(frozen=True)
class OptionFacts:
    option_id: int
    starts_at: datetime
    voter_ids: tuple[str, ...]


@dataclass(frozen=True)
class PollFacts:
    proposal_id: int
    cadence: bool
    group_name: str
    created_by: str
    minutes: int
    location: str
    options: tuple[OptionFacts, ...]
    confirmed_start: datetime | None
    confirmed_by: str | None
    tz: ZoneInfo


def _tally(tr: Translator, option: OptionFacts) -> str:
    if not option.voter_ids:
        return tr.t("poll.nobody_yet")
    people = mentions(option.voter_ids)
    return tr.t("poll.can_make_it", count=len(option.voter_ids), people=people)


def poll_message(tr: Translator, facts: PollFacts) -> dict[str, Any]:
    title = tr.t("poll.cadence_title" if facts.cadence else "poll.title", name=facts.group_name)
    intro_key = "poll.cadence_intro" if facts.cadence else "poll.intro"
    blocks: list[Block] = [
        header(title),
        section(
            tr.t(
                intro_key,
                user=mention(facts.created_by),
                minutes=facts.minutes,
                where=where(tr, facts.location),
            )
        ),
    ]
    if facts.confirmed_start is not None:
        when = slack_time(facts.confirmed_start, facts.tz, tr)
        blocks.append(section(tr.t("poll.confirmed", when=when, user=mention(facts.confirmed_by))))
        return {"text": title, "blocks": blocks}
    for number, option in enumerate(facts.options, start=1):
        when = slack_time(option.starts_at, facts.tz, tr)
        blocks.append(section(fmt("*{}. {}*\n{}", number, when, _tally(tr, option))))
        value = str(option.option_id)
        confirm = button(tr.t("poll.confirm_button"), CONFIRM, value, "primary")
        confirm["confirm"] = confirm_dialog(
            tr, "poll.confirm", tr.t("poll.confirm_text", when=when)
        )
        elements = [button(tr.t("poll.vote_button"), VOTE, value), confirm]
        if facts.cadence:
            elements.append(button(tr.t("poll.other_time"), OTHER_TIME, str(facts.proposal_id)))
        blocks.append(
            {"type": "actions", "block_id": f"option:{option.option_id}", "elements": elements}
        )
    blocks.append(context(tr.t("poll.footer")))
    return {"text": title, "blocks": blocks}
