"""Saving the case modal: every field checked, with field errors that keep what was typed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.cases import LINK_MAX, QUESTION_MAX, SITUATION_MAX, TITLE_MAX, URGENCIES, CaseFields
from methods.library import CASE_KINDS, methods
from rendering import case_modal as m
from rendering.i18n import Translator
from storage.cases import get_case
from usecases.agenda import refresh_agenda
from usecases.cases import save_case
from usecases.home import publish_home


def _text(
    form: Submitted, tr: Translator, errors: dict[str, str], block: str, maximum: int, missing: str
) -> str:
    value = form.text(block)
    if not value:
        errors[block] = tr.t(missing)
    elif len(value) > maximum:
        errors[block] = tr.t("form.too_long", maximum=maximum)
    return value


def _is_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in value


def parse_case(form: Submitted, tr: Translator) -> tuple[CaseFields, dict[str, str]]:
    errors: dict[str, str] = {}
    title = _text(form, tr, errors, m.TITLE, TITLE_MAX, "case.error.title")
    situation = _text(form, tr, errors, m.SITUATION, SITUATION_MAX, "case.error.situation")
    question = _text(form, tr, errors, m.QUESTION, QUESTION_MAX, "case.error.question")
    kind = form.choice(m.KIND) or ""
    if kind not in CASE_KINDS:
        errors[m.KIND] = tr.t("case.error.kind")
    method = form.choice(m.METHOD)
    if method != m.GROUP_CHOOSES and method not in methods():
        errors[m.METHOD] = tr.t("case.error.method")
    urgency = form.choice(m.URGENCY) or ""
    if urgency not in URGENCIES:
        errors[m.URGENCY] = tr.t("case.error.urgency")
    link = form.text(m.LINK)
    if link and (len(link) > LINK_MAX or not _is_url(link)):
        errors[m.LINK] = tr.t("case.error.link")
    fields = CaseFields(
        title=title,
        situation=situation,
        question=question,
        kind=kind,
        method=None if method == m.GROUP_CHOOSES else method,
        urgency=urgency,
        link=link or None,
    )
    return fields, errors


def save_case_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
) -> None:
    services = services_of(context)
    user_id = user_of(body)
    form = Submitted(view)
    tr = form.translator()
    fields, errors = parse_case(form, tr)
    target = form.choice(m.TARGET)
    if not target:
        errors[m.TARGET] = tr.t("case.error.target")
    if errors or not target:
        ack(response_action="errors", errors=errors)
        return
    case_id, problems = save_case(
        services, user_id, form.metadata_int("case"), target, fields, form.submission(user_id)
    )
    if problems:
        ack(response_action="errors", errors={k: tr.t(v) for k, v in problems.items()})
        return
    if case_id is None:
        ack()  # the same modal was submitted twice: the first submission saved it
        return
    ack()
    publish_home(services, user_id)
    with services.db() as session:
        case = get_case(session, case_id)
        meeting_id = case.meeting_id if case else None
    if meeting_id is not None:
        refresh_agenda(services, meeting_id)
