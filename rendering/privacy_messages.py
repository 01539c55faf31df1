"""Messages for `/intervisie export` and `/intervisie forget-me`."""

from __future__ import annotations

from datetime import datetime
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


# The export's parts, in the order the readable file shows them.
EXPORT_SECTIONS = (
    "groups",
    "cases",
    "contributions",
    "takeaways",
    "evaluations",
    "answers",
    "attendance",
    "proofs",
)


def export_markdown(tr: Translator, data: dict[str, Any]) -> str:
    """The export as a person reads it (Markdown): a section per kind, a bullet per item."""
    when = datetime.fromisoformat(data["exported_at"])
    lines = [
        f"# {tr.text('privacy.md_title')}",
        "",
        tr.text("privacy.md_intro", when=f"{tr.date(when)} {when:%H:%M}"),
    ]
    for kind in EXPORT_SECTIONS:
        lines += ["", f"## {tr.text(f'privacy.section.{kind}')}", ""]
        items = data[kind]
        if not items:
            lines.append(tr.text("privacy.none"))
        for item in items:
            fields = [f"{name}: {value}" for name, value in item.items() if value not in (None, "")]
            lines.append("- " + "\n  ".join(fields))
    return "\n".join(lines) + "\n"
