"""The group modal: `/intervisie setup` opens it empty, `/intervisie group` prefilled."""

from __future__ import annotations

from typing import Any

from methods.groups import RETENTION_RANGE, GroupFields
from methods.scheduling import MAX_MEETING_MINUTES, MIN_MEETING_MINUTES
from rendering.blocks import context, plain
from rendering.forms import field, modal, number_input, option, text_input
from rendering.i18n import LANGUAGES, Language, Translator

GROUP_MODAL = "group_modal"
NAME = "name"
MEMBERS = "members"
FACILITATOR = "facilitator"
CADENCE = "cadence"
LENGTH = "length"
LANGUAGE = "group_language"  # choosing one updates the prefilled ground rules
TIMEZONE = "timezone"
RULES = "rules"
CASE_DAYS = "case_days"
AGENDA_HOURS = "agenda_hours"
SOON_MINUTES = "soon_minutes"
ADVANCE = "advance"
FOLLOW_UP_DAYS = "follow_up_days"
RETENTION_DAYS = "retention_days"
SHARE_NAMES = "share_names"


def group_modal(
    tr: Translator, fields: GroupFields, *, channel_id: str, group_id: int | None
) -> dict[str, Any]:
    languages = {"nl": tr.t("group.modal.dutch"), "en": tr.t("group.modal.english")}
    advance = {"auto": tr.t("group.modal.advance_auto"), "chair": tr.t("group.modal.advance_chair")}
    share = {"yes": tr.t("group.modal.share_names_yes"), "no": tr.t("group.modal.share_names_no")}
    shared = "yes" if fields.share_attendee_names else "no"
    facilitator: dict[str, Any] = {
        "type": "users_select",
        "placeholder": plain(tr.t("group.modal.none")),
    }
    if fields.facilitator_id:
        facilitator["initial_user"] = fields.facilitator_id
    blocks = [
        field(NAME, tr.t("group.modal.name"), text_input(fields.name, max_length=80)),
        field(
            MEMBERS,
            tr.t("group.modal.members"),
            {"type": "multi_users_select", "initial_users": list(fields.member_ids)},
            hint=tr.t("group.modal.members_hint"),
        ),
        field(
            FACILITATOR,
            tr.t("group.modal.facilitator"),
            facilitator,
            optional=True,
            hint=tr.t("group.modal.facilitator_hint"),
        ),
        field(CADENCE, tr.t("group.modal.cadence"), number_input(fields.cadence_weeks, 1, 52)),
        field(
            LENGTH,
            tr.t("group.modal.length"),
            number_input(fields.meeting_minutes, MIN_MEETING_MINUTES, MAX_MEETING_MINUTES),
            hint=tr.t("group.modal.length_hint"),
        ),
        {
            **field(
                LANGUAGE,
                tr.t("group.modal.language"),
                {
                    "type": "static_select",
                    "options": [option(text, value) for value, text in languages.items()],
                    "initial_option": option(languages[fields.language], fields.language),
                },
            ),
            "dispatch_action": True,
        },
        field(
            TIMEZONE,
            tr.t("group.modal.timezone"),
            text_input(fields.timezone, max_length=64),
            hint=tr.t("group.modal.timezone_hint"),
        ),
        field(
            RULES,
            tr.t("group.modal.rules"),
            text_input(fields.ground_rules, max_length=3000, multiline=True),
            hint=tr.t("group.modal.rules_hint"),
        ),
        field(
            ADVANCE,
            tr.t("group.modal.advance"),
            {
                "type": "static_select",
                "options": [option(advance[k], k) for k in advance],
                "initial_option": option(
                    advance["auto" if fields.auto_advance else "chair"],
                    "auto" if fields.auto_advance else "chair",
                ),
            },
        ),
        context(tr.t("group.modal.reminders_intro")),
        field(
            CASE_DAYS, tr.t("group.modal.case_days"), number_input(fields.case_request_days, 1, 28)
        ),
        field(
            AGENDA_HOURS,
            tr.t("group.modal.agenda_hours"),
            number_input(fields.agenda_hours, 1, 168),
        ),
        field(
            SOON_MINUTES,
            tr.t("group.modal.soon_minutes"),
            number_input(fields.soon_minutes, 1, 120),
        ),
        field(
            FOLLOW_UP_DAYS,
            tr.t("group.modal.follow_up_days"),
            number_input(fields.follow_up_days, 1, 28),
        ),
        field(
            RETENTION_DAYS,
            tr.t("group.modal.retention_days"),
            number_input(fields.retention_days, RETENTION_RANGE.start, RETENTION_RANGE.stop - 1),
            hint=tr.t("group.modal.retention_hint"),
        ),
        field(
            SHARE_NAMES,
            tr.t("group.modal.share_names"),
            {
                "type": "static_select",
                "options": [option(share[k], k) for k in share],
                "initial_option": option(share[shared], shared),
            },
            hint=tr.t("group.modal.share_names_hint"),
        ),
    ]
    return modal(
        GROUP_MODAL,
        tr.t("group.modal.title_edit" if group_id else "group.modal.title_new"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        blocks,
        {"channel": channel_id, "group": group_id, "lang": tr.language},
    )


def default_rules(language: Language) -> str:
    """The ground rules a new group starts from, in the group's language."""
    return Translator(language).text("group.default_rules")


def rules_for_language(rules: str, language: Language) -> str | None:
    """What the ground rules field should say once the group's language is `language`: that
    language's default rules while the field holds another language's default (or nothing);
    None when the person wrote rules of their own, or they are right already."""
    written = rules.strip()
    if written == default_rules(language).strip():
        return None
    if written and written not in {default_rules(other).strip() for other in LANGUAGES}:
        return None
    return default_rules(language)


def showing_rules(view: dict[str, Any], rules: str, language: Language) -> dict[str, Any]:
    """The open group modal (as Slack gives it back) with `rules` in its ground rules field;
    everything else that was typed stays. The field's element gets a new action_id, for Slack
    shows a new initial value only then."""
    blocks = []
    for block in view["blocks"]:
        if block.get("block_id") == RULES:
            element = {**block["element"], "action_id": f"{RULES}_{language}"}
            element["initial_value"] = rules
            block = {**block, "element": element}
        blocks.append(block)
    kept = ("type", "callback_id", "title", "submit", "close", "private_metadata")
    return {**{k: view[k] for k in kept if k in view}, "blocks": blocks}
