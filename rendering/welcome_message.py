"""The welcome the bot posts and pins in a group's channel: who is in it and the ground rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from methods.groups import GroupFields
from rendering.blocks import context, header, section
from rendering.coach_messages import runs_itself_line
from rendering.i18n import Translator
from rendering.markup import fmt, join, mention, mentions


def facilitator_line(tr: Translator, fields: GroupFields, since: date | None = None) -> str:
    if since is not None:
        return runs_itself_line(tr, since)
    if fields.facilitator_id:
        return tr.t("group.facilitator_is", user=mention(fields.facilitator_id))
    return tr.t("group.self_run")


def rhythm_line(tr: Translator, fields: GroupFields) -> str:
    return tr.t(
        "group.rhythm",
        weeks=fields.cadence_weeks,
        minutes=fields.meeting_minutes,
        timezone=fields.timezone,
    )


def welcome_message(
    tr: Translator,
    fields: GroupFields,
    *,
    public: bool,
    missing: Sequence[str],
    since: date | None = None,
) -> dict[str, Any]:
    """`public`: anyone in the workspace can read the channel; `missing`: people of the group
    who are not in the channel yet; `since`: the day the coach handed the group over."""
    members = mentions(fields.member_ids)
    rules = join(
        "\n",
        (fmt("• {}", line.strip()) for line in fields.ground_rules.splitlines() if line.strip()),
    )
    blocks = [
        header(tr.t("group.welcome_title", name=fields.name)),
        section(tr.t("group.welcome_intro", members=members)),
        section(facilitator_line(tr, fields, since)),
        section(rhythm_line(tr, fields)),
        section(fmt("*{}*\n{}", tr.t("group.rules_title"), rules)),
    ]
    if public:
        blocks.append(section(tr.t("group.public_warning")))
    if missing:
        people = mentions(missing)
        invites = join(" ", map(mention, missing))
        blocks.append(section(tr.t("group.missing", people=people, invites=invites)))
    blocks.append(context(tr.t("group.how_to_start")))
    blocks.append(context(tr.t("group.reads_replies")))
    return {"text": tr.t("group.welcome_title", name=fields.name), "blocks": blocks}
