"""The DM to whoever added the app to a workspace: what to do next."""

from __future__ import annotations

from typing import Any

from rendering.blocks import header, section
from rendering.i18n import Translator


def installed_message(tr: Translator) -> dict[str, Any]:
    steps = "\n".join(tr.t(f"install.step_{n}") for n in (1, 2, 3))
    return {
        "text": tr.t("install.welcome_title"),
        "blocks": [
            header(tr.t("install.welcome_title")),
            section(tr.t("install.welcome")),
            section(steps),
        ],
    }
