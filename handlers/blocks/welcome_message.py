"""The welcome the bot posts and pins in a group's channel: who is in it and the ground rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n import Translator
from handlers.blocks import context, header, section


@dataclass(frozen=True)
class WelcomeFacts:
    name: str
    member_ids: tuple[str, ...]
    facilitator_id: str | None
    ground_rules: str
    cadence_weeks: int
    meeting_minutes: int
    timezone: str
    public: bool
    missing: tuple[str, ...]


def welcome_message(tr: Translator, facts: WelcomeFacts) -> dict[str, Any]:
    members = ", ".join(f"<@{m}>" for m in facts.member_ids)
    facilitator = (
        tr.t("group.facilitator_is", user=f"<@{facts.facilitator_id}>")
        if facts.facilitator_id
        else tr.t("group.self_run")
    )
    rules = "\n".join(
        f"• {line.strip()}" for line in facts.ground_rules.splitlines() if line.strip()
    )
    blocks = [
        header(tr.t("group.welcome_title", name=facts.name)),
        section(tr.t("group.welcome_intro", members=members)),
        section(facilitator),
        section(
            tr.t(
                "group.rhythm",
                weeks=facts.cadence_weeks,
                minutes=facts.meeting_minutes,
                timezone=facts.timezone,
            )
        ),
        section(f"*{tr.t('group.rules_title')}*\n{rules}"),
    ]
    if facts.public:
        blocks.append(section(tr.t("group.public_warning")))
    if facts.missing:
        missing = ", ".join(f"<@{m}>" for m in facts.missing)
        invites = " ".join(f"<@{m}>" for m in facts.missing)
        blocks.append(section(tr.t("group.missing", people=missing, invites=invites)))
    blocks.append(context(tr.t("group.how_to_start")))
    return {"text": tr.t("group.welcome_title", name=facts.name), "blocks": blocks}
