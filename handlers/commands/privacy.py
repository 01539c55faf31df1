"""`/intervisie export` and `/intervisie forget-me`: a member's own data, to take or delete."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from handlers.commands.call import CommandCall
from rendering.privacy_messages import forget_me_prompt
from usecases.privacy import send_export, stored_counts

logger = logging.getLogger(__name__)


def export(call: CommandCall) -> None:
    call.reply_text(call.tr.t("privacy.export_coming"))
    try:
        send_export(call.services, call.user_id, call.tr)
    except (SlackApiError, OSError):
        logger.exception("could not send the data export to %s", call.user_id)
        call.reply_text(call.tr.t("privacy.export_failed"))


def forget_me(call: CommandCall) -> None:
    call.reply(forget_me_prompt(call.tr, stored_counts(call.services, call.user_id)))
