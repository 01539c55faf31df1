"""Messages for `/intervisie export` and `/intervisie forget-me`."""

from __future__ import annotations

from typing import Any

from rendering.blocks import button, confirm_dialog, section
from rendering.i18n import Translator

FORGET_ME = "privacy_forget_me"


def forget_me_prompt(tr: Translator, counts: dict[str, int]) -> dict[str, Any]:
    """What will be deleted, and a button (with an "are you sure?") to do it."""
    text = tr.t(
        "privacy.forget_prompt",
        groups=tr.t("counted.group", count=counts["groups"]),
        cases=tr.t("counted.case", count=counts["cases"]),
        contributions=tr.t("counted.contribution", count=counts["contributions"]),
        takeaways=tr.t("counted.takeaway", count=counts["takeaways"]),
        evaluations=tr.t("counted.evaluation", count=counts["evaluations"]),
    )
    forget = button(tr.t("privacy.forget_button"), FORGET_ME, "me", "danger")
    forget["confirm"] = confirm_dialog(
        tr, "privacy.forget_confirm", tr.t("privacy.forget_confirm_text"), danger=True
    )
    return {
        "text": text,
        "blocks": [section(text), {"type": "actions", "elements": [forget]}],
    }


def forgotten_message(tr: Translator) -> dict[str, Any]:
    text = tr.t("privacy.forgotten")
    return {"text": text, "blocks": [section(text)]}
