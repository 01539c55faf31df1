"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.i18n import Translator
from handlers.blocks import context, divider, header, section


def home_view(tr: Translator) -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [
            header(tr.t("home.title")),
            section(tr.t("home.welcome")),
            divider(),
            section(tr.t("home.how")),
            context(tr.t("home.help_hint")),
        ],
    }
