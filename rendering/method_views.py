"""`/intervisie methods`: the library, a method's preview, and the group's own durations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from methods.library import Method
from rendering.blocks import Block, button, context, fit, header, section
from rendering.forms import field, modal, number_input
from rendering.i18n import Translator
from rendering.markup import fmt, join

PREVIEW = "method_preview"
DURATIONS = "method_durations"
DURATIONS_MODAL = "durations_modal"


def methods_list(tr: Translator, library: Sequence[Method]) -> dict[str, Any]:
    title = tr.t("methods.title")
    blocks: list[Block] = [header(title)]
    for method in library:
        kinds = join(", ", (tr.t(f"case.kind.{k}") for k in method.suits))
        block = section(
            tr.t(
                "methods.line",
                name=method.named(tr.language),
                minutes=method.minutes,
                kinds=kinds,
                summary=method.summary(tr.language),
            )
        )
        block["accessory"] = button(tr.t("methods.preview"), PREVIEW, method.id)
        blocks.append(block)
    return {"text": title, "blocks": blocks[:50]}


def method_preview(tr: Translator, method: Method, group_id: int | None) -> dict[str, Any]:
    title = method.named(tr.language)
    phases = []
    for number, phase in enumerate(method.phases, start=1):
        flags = []
        if phase.owner_listens:
            flags.append(tr.t("methods.flag_listens"))
        if phase.round:
            flags.append(tr.t("methods.flag_round"))
        if phase.collect:
            flags.append(tr.t(f"methods.flag_collect.{phase.collect}"))
        extra = fmt(" _({})_", join(", ", flags)) if flags else ""
        who = tr.t(f"methods.who.{phase.who}")
        phases.append(
            fmt(
                "*{}. {}* · {} min · {}{}\n{}",
                number,
                phase.title(tr.language),
                phase.minutes,
                who,
                extra,
                phase.prompt(tr.language),
            )
        )
    blocks: list[Block] = [
        header(tr.t("methods.preview_title", name=title, minutes=method.minutes)),
        section(method.summary(tr.language)),
        *[section(text) for text in phases],
        context(tr.t("methods.source", source=method.source)),
    ]
    if group_id is not None:
        blocks.append(
            {
                "type": "actions",
                "elements": [button(tr.t("methods.adjust"), DURATIONS, f"{group_id}:{method.id}")],
            }
        )
    return {"text": title, "blocks": blocks[:50]}


def durations_modal(tr: Translator, method: Method, group_id: int) -> dict[str, Any]:
    blocks = [
        field(
            phase.id,
            fit(f"{n}. {phase.title(tr.language)}", 150),
            number_input(phase.minutes, 1, 120),
        )
        for n, phase in enumerate(method.phases, start=1)
    ]
    return modal(
        DURATIONS_MODAL,
        tr.t("methods.durations_title"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        [section(tr.t("methods.durations_intro", name=method.named(tr.language))), *blocks],
        {"group": group_id, "method": method.id, "lang": tr.language},
    )
