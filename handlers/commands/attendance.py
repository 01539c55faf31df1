"""`/intervisie attendance` (a member's own yearly overview, for their register) and
`/intervisie history` (the group's meetings as CSV). Neither holds any case content."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from handlers.commands.call import CommandCall, member_group
from rendering.attendance_files import overview_summary
from rendering.attendance_messages import overview_reply
from usecases.records import overview_for, send_history, send_overview

logger = logging.getLogger(__name__)
YEARS = range(2000, 2101)


def attendance(call: CommandCall) -> None:
    """Anyone may ask: it shows only the asker's own meetings."""
    word = call.args.split()[0] if call.args.split() else ""
    if word and not (word.isdigit() and int(word) in YEARS):
        call.reply_text(call.tr.t("attendance.overview_bad_year"))
        return
    overview, tz = overview_for(call.services, call.user_id, int(word) if word else None)
    try:
        send_overview(call.services, call.user_id, call.tr, overview, tz)
        sent = True
    except (SlackApiError, OSError):
        logger.exception("could not send the attendance overview to %s", call.user_id)
        sent = False
    call.reply(overview_reply(call.tr, overview_summary(call.tr, overview), sent))


def history(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    try:
        sent = send_history(call.services, group.id, call.user_id, call.tr)
    except (SlackApiError, OSError):
        logger.exception("could not send the history of group %s to %s", group.id, call.user_id)
        call.reply_text(call.tr.t("attendance.history_failed"))
        return
    key = "attendance.history_sent" if sent else "attendance.history_none"
    call.reply_text(call.tr.t(key, group=group.name))
