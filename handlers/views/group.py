"""Saving the group modal: field errors for bad input, otherwise save and welcome the group."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from sqlalchemy.exc import IntegrityError

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.groups import MAX_MEMBERS, MIN_MEMBERS, RETENTION_RANGE, GroupFields
from methods.scheduling import MAX_MEETING_MINUTES, MIN_MEETING_MINUTES, zone
from rendering import group_modal as m
from rendering.i18n import LANGUAGES, Translator
from storage.groups import get_group, group_in_channel, save_group
from usecases.groups import in_channel, publish_welcome


def _in_range(
    errors: dict[str, str], tr: Translator, form: Submitted, block: str, low: int, high: int
) -> int:
    value = form.number(block)
    if value is None or not low <= value <= high:
        errors[block] = tr.t("form.number_between", low=low, high=high)
        return low
    return value


def parse_group(form: Submitted, tr: Translator) -> tuple[GroupFields, dict[str, str]]:
    errors: dict[str, str] = {}
    name = form.text(m.NAME)
    if not name:
        errors[m.NAME] = tr.t("group.error.name")
    members = tuple(dict.fromkeys(form.users(m.MEMBERS)))
    if len(members) < MIN_MEMBERS:
        errors[m.MEMBERS] = tr.t("group.error.too_few", minimum=MIN_MEMBERS)
    elif len(members) > MAX_MEMBERS:
        errors[m.MEMBERS] = tr.t("group.error.too_many", maximum=MAX_MEMBERS)
    timezone = form.text(m.TIMEZONE)
    if zone(timezone) is None:
        errors[m.TIMEZONE] = tr.text("group.error.timezone", given=timezone[:64])
    rules = form.text(m.RULES)
    if not rules:
        errors[m.RULES] = tr.t("group.error.rules")
    language = form.choice(m.LANGUAGE)
    fields = GroupFields(
        name=name,
        member_ids=members,
        facilitator_id=form.user(m.FACILITATOR),
        cadence_weeks=_in_range(errors, tr, form, m.CADENCE, 1, 52),
        meeting_minutes=_in_range(
            errors, tr, form, m.LENGTH, MIN_MEETING_MINUTES, MAX_MEETING_MINUTES
        ),
        language=language if language in LANGUAGES else tr.language,
        timezone=timezone,
        ground_rules=rules,
        case_request_days=_in_range(errors, tr, form, m.CASE_DAYS, 1, 28),
        agenda_hours=_in_range(errors, tr, form, m.AGENDA_HOURS, 1, 168),
        soon_minutes=_in_range(errors, tr, form, m.SOON_MINUTES, 1, 120),
        auto_advance=form.choice(m.ADVANCE) != "chair",
        follow_up_days=_in_range(errors, tr, form, m.FOLLOW_UP_DAYS, 1, 28),
        retention_days=_in_range(
            errors, tr, form, m.RETENTION_DAYS, RETENTION_RANGE.start, RETENTION_RANGE.stop - 1
        ),
        share_attendee_names=form.choice(m.SHARE_NAMES) == "yes",
    )
    return fields, errors


def save_group_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    user_id = user_of(body)
    form = Submitted(view)
    tr = form.translator()
    channel_id = str(form.metadata.get("channel") or "")
    group_id = form.metadata_int("group")
    fields, errors = parse_group(form, tr)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    if group_id is None and in_channel(services, channel_id, user_id) is False:
        ack(response_action="errors", errors={m.NAME: tr.t("group.error.not_in_channel")})
        return
    try:
        with services.db.begin() as session:
            existing = get_group(session, group_id) if group_id else None
            if group_id and (existing is None or not existing.may_act(services.team_id, user_id)):
                ack(response_action="errors", errors={m.NAME: tr.t("access.not_a_member_short")})
                return
            if (
                existing is None
                and group_in_channel(session, services.team_id, channel_id) is not None
            ):
                ack(response_action="errors", errors={m.NAME: tr.t("group.exists")})
                return
            saved = save_group(
                session,
                channel_id,
                fields,
                services.clock(),
                existing,
                team_id=services.team_id,
                enterprise_id=services.enterprise_id,
            )
            saved_id = saved.id
    except IntegrityError:
        ack(response_action="errors", errors={m.NAME: tr.t("group.exists")})
        return
    ack()
    publish_welcome(services, saved_id, user_id, edited=group_id is not None)
