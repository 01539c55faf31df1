"""The use cases' services handed to every listener through Bolt's context, speaking for the
workspace the request acts in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk.webhook import WebhookResponse

from rendering.markup import escape
from usecases.services import Services


class EscapingRespond(Respond):
    """Bolt's `respond`, with the notification text escaped like every Web API call's."""

    def __call__(self, text: str | dict[str, Any] = "", **kwargs: Any) -> WebhookResponse:
        if isinstance(text, dict) and isinstance(text.get("text"), str):
            text = {**text, "text": escape(text["text"])}
        return super().__call__(escape(text) if isinstance(text, str) else text, **kwargs)


def services_middleware(services: Services) -> Callable[[BoltContext, Callable[[], None]], None]:
    def provide_services(context: BoltContext, next: Callable[[], None]) -> None:
        # With many workspaces Bolt's authorize found the installation that acts for the
        # request (in a shared channel not always the clicker's own workspace); a request it
        # needs none for (the app uninstalled) gets a client without a token.
        acting = context.authorize_result
        context["services"] = services.speaking(
            (acting.team_id if acting else None) or context.team_id or "",
            acting.enterprise_id if acting else context.enterprise_id,
            context.bot_token,
        )
        respond = context.respond
        if respond is not None and respond.response_url is not None:
            context["respond"] = EscapingRespond(
                response_url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl
            )
        next()

    return provide_services
