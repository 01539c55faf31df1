"""The `/intervisie help` answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rendering.blocks import context, header, section
from rendering.forms import modal
from rendering.i18n import Translator
from rendering.markup import fmt, join


def help_message(tr: Translator, subcommands: Sequence[str]) -> dict[str, Any]:
    lines = join(
        "\n",
        (fmt("• `/intervisie {}`: {}", name, tr.t(f"help.sub.{name}")) for name in subcommands),
    )
    return {
        "text": tr.t("help.intro"),
        "blocks": [
            header(tr.t("help.title")),
            section(tr.t("help.intro")),
            section(fmt("*{}*\n{}", tr.t("help.commands"), lines)),
            section(fmt("*{}*\n{}", tr.t("help.panel_title"), tr.t("help.panel"))),
            context(tr.t("help.privacy")),
        ],
    }


def unknown_subcommand_message(tr: Translator, word: str) -> dict[str, Any]:
    text = tr.t("help.unknown", word=word[:40])
    return {"text": text, "blocks": [section(text)]}


def help_modal(tr: Translator, subcommands: Sequence[str]) -> dict[str, Any]:
    """The same help, in a modal (from the App Home)."""
    view = modal(
        "help_modal",
        tr.t("help.title"),
        "",
        tr.t("modal.close"),
        help_message(tr, subcommands)["blocks"],
        {},
    )
    del view["submit"]
    return view
