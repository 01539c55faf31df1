"""The case modal: which meeting, the case itself, its kind, a method and how pressing it is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from methods.cases import QUESTION_MAX, SITUATION_MAX, TITLE_MAX, URGENCIES, CaseFields
from methods.library import CASE_KINDS, suggestions
from rendering.blocks import Block, fit, plain
from rendering.forms import field, modal, option, text_input
from rendering.i18n import Translator

CASE_MODAL = "case_modal"
TARGET = "target"
TITLE = "title"
SITUATION = "situation"
QUESTION = "question"
KIND = "kind"
METHOD = "method"
URGENCY = "urgency"
LINK = "link"
GROUP_CHOOSES = "group_chooses"


@dataclass(frozen=True)
class Target:
    """A meeting a case can be brought to (or a group's next, not yet planned, meeting)."""

    value: str
    group_id: int
    group_name: str
    label: str


def _target_select(tr: Translator, targets: Sequence[Target], chosen: str | None) -> Block:
    initial = next((t for t in targets if t.value == chosen), targets[0])
    element: Block = {
        "type": "static_select",
        "initial_option": option(initial.label, initial.value),
    }
    groups = list(dict.fromkeys(t.group_name for t in targets))
    if len(groups) > 1:
        element["option_groups"] = [
            {
                "label": plain(fit(name, 75)),
                "options": [option(t.label, t.value) for t in targets if t.group_name == name],
            }
            for name in groups
        ]
    else:
        element["options"] = [option(t.label, t.value) for t in targets]
    return element


def method_options(tr: Translator, kind: str) -> list[Block]:
    fitting = [option(m.named(tr.language), m.id) for m in suggestions(kind)]
    return [option(tr.t("case.modal.group_chooses"), GROUP_CHOOSES), *fitting]


def case_modal(
    tr: Translator,
    targets: Sequence[Target],
    *,
    chosen_target: str | None,
    fields: CaseFields | None,
    case_id: int | None,
    kind: str | None = None,
) -> dict[str, Any]:
    kind = kind or (fields.kind if fields else CASE_KINDS[0])
    methods = method_options(tr, kind)
    method = fields.method if fields and fields.method else GROUP_CHOOSES
    chosen_method = next((m for m in methods if m["value"] == method), methods[0])
    urgency = fields.urgency if fields else "medium"
    kinds = [option(tr.t(f"case.kind.{k}"), k) for k in CASE_KINDS]
    blocks = [
        field(TARGET, tr.t("case.modal.target"), _target_select(tr, targets, chosen_target)),
        field(
            TITLE,
            tr.t("case.modal.title"),
            text_input(fields.title if fields else None, max_length=TITLE_MAX),
        ),
        field(
            SITUATION,
            tr.t("case.modal.situation"),
            text_input(
                fields.situation if fields else None, max_length=SITUATION_MAX, multiline=True
            ),
            hint=tr.t("case.modal.situation_hint"),
        ),
        field(
            QUESTION,
            tr.t("case.modal.question"),
            text_input(
                fields.question if fields else None, max_length=QUESTION_MAX, multiline=True
            ),
            hint=tr.t("case.modal.question_hint"),
        ),
        {
            **field(
                KIND,
                tr.t("case.modal.kind"),
                {
                    "type": "static_select",
                    "options": kinds,
                    "initial_option": next(k for k in kinds if k["value"] == kind),
                },
            ),
            "dispatch_action": True,
        },
        field(
            METHOD,
            tr.t("case.modal.method"),
            {"type": "static_select", "options": methods, "initial_option": chosen_method},
            hint=tr.t("case.modal.method_hint"),
        ),
        field(
            URGENCY,
            tr.t("case.modal.urgency"),
            {
                "type": "radio_buttons",
                "options": [option(tr.t(f"case.urgency.{u}"), u) for u in URGENCIES],
                "initial_option": option(tr.t(f"case.urgency.{urgency}"), urgency),
            },
        ),
        field(
            LINK,
            tr.t("case.modal.link"),
            {
                "type": "url_text_input",
                **({"initial_value": fields.link} if fields and fields.link else {}),
            },
            optional=True,
            hint=tr.t("case.modal.link_hint"),
        ),
    ]
    return modal(
        CASE_MODAL,
        tr.t("case.modal.title_edit" if case_id else "case.modal.title_new"),
        tr.t("case.modal.save"),
        tr.t("modal.cancel"),
        blocks,
        {"case": case_id, "lang": tr.language},
    )
