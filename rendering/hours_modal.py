"""The working-hours modal (`/intervisie hours`): when an asynchronous case may ping you."""

from __future__ import annotations

from typing import Any

from methods.working_hours import WorkingHours
from rendering.blocks import Block, context
from rendering.forms import field, modal, option
from rendering.i18n import Translator

HOURS_MODAL = "hours_modal"
START = "work_start"
END = "work_end"
DAYS = "work_days"


def hours_modal(tr: Translator, hours: WorkingHours) -> dict[str, Any]:
    days = [option(tr.t(f"hours.day.{d}"), str(d)) for d in range(7)]
    chosen = [days[d] for d in sorted(hours.days)]
    blocks: list[Block] = [
        context(tr.t("hours.intro", zone=hours.tz.key)),
        field(
            START,
            tr.t("hours.start"),
            {"type": "timepicker", "initial_time": f"{hours.start:%H:%M}"},
        ),
        field(END, tr.t("hours.end"), {"type": "timepicker", "initial_time": f"{hours.end:%H:%M}"}),
        field(
            DAYS,
            tr.t("hours.days"),
            {"type": "checkboxes", "options": days, "initial_options": chosen},
        ),
    ]
    return modal(
        HOURS_MODAL,
        tr.t("hours.title"),
        tr.t("hours.save"),
        tr.t("modal.cancel"),
        blocks,
        {"lang": tr.language},
    )
