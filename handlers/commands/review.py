"""`/intervisie review [year]`: the group's year in one picture, posted in its channel."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from handlers.commands.attendance import YEARS
from handlers.commands.call import CommandCall, member_group
from usecases.meetings import group_zone
from usecases.review import post_review

logger = logging.getLogger(__name__)


def review(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    word = call.args.split()[0] if call.args.split() else ""
    if word and not (word.isdigit() and int(word) in YEARS):
        call.reply_text(call.tr.t("review.bad_year"))
        return
    year = int(word) if word else call.services.clock().astimezone(group_zone(group)).year
    try:
        post_review(call.services, group.id, year)
    except (SlackApiError, OSError):
        logger.exception("could not post the review of group %s", group.id)
        call.reply_text(call.tr.t("review.failed"))
        return
    call.reply_text(call.tr.t("review.posted", year=year))
