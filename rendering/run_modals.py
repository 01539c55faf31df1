"""Small modals of the live session: add a contribution, change the roles."""

from __future__ import annotations

from typing import Any

from rendering.forms import field, modal, text_input
from rendering.i18n import Translator

CONTRIBUTION_MODAL = "contribution_modal"
CONTRIBUTION_MAX = 1000  # characters of one question or piece of advice
ROLES_MODAL = "roles_modal"
TEXT = "text"
CHAIR = "chair"
TIMEKEEPER = "timekeeper"


def contribution_modal(tr: Translator, run_id: int, phase: int, collect: str) -> dict[str, Any]:
    return modal(
        CONTRIBUTION_MODAL,
        tr.t(f"run.add.{collect}"),
        tr.t("run.add_save"),
        tr.t("modal.cancel"),
        [
            field(
                TEXT,
                tr.t(f"run.add_label.{collect}"),
                text_input(None, max_length=CONTRIBUTION_MAX, multiline=True),
            )
        ],
        {"run": run_id, "phase": phase, "lang": tr.language},
    )


def roles_modal(
    tr: Translator, run_id: int, chair: str | None, timekeeper: str | None
) -> dict[str, Any]:
    def picker(user: str | None) -> dict[str, Any]:
        return {"type": "users_select", **({"initial_user": user} if user else {})}

    return modal(
        ROLES_MODAL,
        tr.t("run.roles"),
        tr.t("group.modal.save"),
        tr.t("modal.cancel"),
        [
            field(CHAIR, tr.t("run.chair"), picker(chair)),
            field(TIMEKEEPER, tr.t("run.timekeeper"), picker(timekeeper)),
        ],
        {"run": run_id, "lang": tr.language},
    )
