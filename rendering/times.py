"""Times in messages: Slack renders `<!date^...>` in each reader's own time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from rendering.i18n import Translator
from rendering.markup import Mrkdwn, date


def fallback_time(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} ({tz.key})"


def slack_time(moment: datetime, tz: ZoneInfo, tr: Translator) -> Mrkdwn:
    """A meeting time every member reads in their own zone; the fallback uses the group's zone."""
    tokens = tr.t("time.format")
    return date(int(moment.timestamp()), tokens, fallback_time(moment, tz))
