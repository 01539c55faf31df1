"""`app_uninstalled` and `tokens_revoked`: the bot stops acting for the workspace."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from handlers.context import services_of
from usecases.installation import revoked


def app_uninstalled(context: BoltContext) -> None:
    revoked(services_of(context), "app_uninstalled")


def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
    """Only the bot token matters: user tokens are not used by this app."""
    if (event.get("tokens") or {}).get("bot"):
        revoked(services_of(context), "tokens_revoked")
