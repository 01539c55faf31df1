"""The App Home tab: what intervisie is, and the member's own cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.i18n import Translator
from handlers.blocks import button, context, divider, header, section
from handlers.blocks.my_cases import NEW_CASE, MyCase, my_cases_blocks


def home_view(tr: Translator, cases: Sequence[MyCase]) -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [
            header(tr.t("home.title")),
            section(tr.t("home.welcome")),
            divider(),
            section(f"*{tr.t('case.mine_title')}*"),
            *my_cases_blocks(tr, cases),
            {
                "type": "actions",
                "elements": [button(tr.t("case.new_button"), NEW_CASE, "home", "primary")],
            },
            divider(),
            section(tr.t("home.how")),
            context(tr.t("home.help_hint")),
        ],
    }
