"""Saving the working-hours modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from rendering import hours_modal as m
from storage.people import set_working_hours


def save_hours(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    start, end = form.clock(m.START), form.clock(m.END)
    days = sorted({int(d) for d in form.checked(m.DAYS) if d in {str(n) for n in range(7)}})
    errors: dict[str, str] = {}
    if start is None:
        errors[m.START] = tr.t("hours.error_time")
    if end is None:
        errors[m.END] = tr.t("hours.error_time")
    elif start is not None and end <= start:
        errors[m.END] = tr.t("hours.error_order")
    if not days:
        errors[m.DAYS] = tr.t("hours.error_days")
    if errors or start is None or end is None:
        ack(response_action="errors", errors=errors)
        return
    with services.db.begin() as session:
        set_working_hours(
            session,
            services.team_id,
            user_of(body),
            f"{start:%H:%M}",
            f"{end:%H:%M}",
            "".join(map(str, days)),
        )
    ack()
