""" "Add to Slack": Bolt's OAuth flow with slack_sdk's SQLAlchemy stores on the bot's database,
our own pages after Slack's redirect, and a welcome DM to whoever installed the app.

`/slack/install` sends the browser straight to Slack's authorize page (client id, scopes and a
one-time state, also kept in a cookie); Slack sends it back to `/slack/oauth_redirect`, where
Bolt checks the state and exchanges the code with `oauth.v2.access` at SLACK_API_URL.
"""

from __future__ import annotations

import contextlib
import logging
from urllib.parse import urljoin

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Installation

from bot.pages import (
    INSTALL_PATH,
    PRIVATE_PAGE_HEADERS,
    PageFacts,
    install_failed_page,
    installed_page,
    page_facts,
)
from bot.workspaces import STATE_SECONDS, InstallationStore, StateStore
from rendering.i18n import Translator, preferred_language
from rendering.installed_message import installed_message
from usecases.delivery import Notice, send_dms
from usecases.services import Services

logger = logging.getLogger(__name__)
REDIRECT_PATH = "/slack/oauth_redirect"

# Bolt's reasons for a failed install, as the failure page explains them.
_WHY = {
    "access_denied": "cancelled",
    "invalid_browser": "expired",
    "invalid_state": "expired",
    "missing_code": "refused",
    "invalid_code": "refused",
}


class OrgWideInstall(BoltError):
    """An install for a whole Enterprise Grid organisation, which this app does not support."""


class InstallFlow(OAuthFlow):
    """Bolt's flow; an org-wide install is refused before anything is stored, and the token
    Slack gave for it is handed back."""

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        if installation.is_enterprise_install:
            with contextlib.suppress(SlackApiError, OSError):
                self.client.auth_revoke(token=installation.bot_token)
            raise OrgWideInstall("org-wide installs are not supported")
        super().store_installation(request, installation)


def install_flow(services: Services) -> InstallFlow:
    settings = services.settings
    if settings.client_id is None or settings.client_secret is None:
        raise ValueError("the install flow needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    engine = services.db.kw["bind"]
    facts = page_facts(settings)
    return InstallFlow(
        client=services.client,
        logger=logging.getLogger("slack_bolt.OAuthFlow"),
        settings=OAuthSettings(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            scopes=list(settings.scopes),
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            install_page_rendering_enabled=False,
            # Slack's authorize page lives beside its Web API (slack.com, GovSlack, a proxy).
            authorization_url=urljoin(settings.slack_api_url, "../oauth/v2/authorize"),
            installation_store=InstallationStore(settings.client_id, engine),
            installation_store_bot_only=True,
            state_store=StateStore(engine),
            state_expiration_seconds=STATE_SECONDS,
            callback_options=CallbackOptions(
                success=lambda args: _installed(services, facts, args),
                failure=lambda args: _failed(facts, args),
            ),
        ),
    )


def _translator(request: BoltRequest) -> Translator:
    asked = (request.headers.get("accept-language") or [None])[0]
    return Translator("nl" if preferred_language(asked) == "nl" else "en")


def _page(status: int, body: str, tr: Translator) -> BoltResponse:
    headers = {name: value for name, value in PRIVATE_PAGE_HEADERS}
    return BoltResponse(
        status=status, body=body, headers={**headers, "Content-Language": tr.language}
    )


def _installed(services: Services, facts: PageFacts, args: SuccessArgs) -> BoltResponse:
    """The app is installed (or installed again): its token is stored, the cached one is out
    of date, and whoever installed it is welcomed in Slack."""
    installation = args.installation
    team_id = str(installation.team_id)
    if services.tokens is not None:
        services.tokens.forget(team_id)
    logger.info("workspace %s installed the app", team_id, extra={"team": team_id})
    ours = services.speaking(team_id, installation.enterprise_id, installation.bot_token)
    welcome = installed_message(ours.directory.translator(installation.user_id))
    key = f"installed:{team_id}:{installation.user_id}:{int(installation.installed_at)}"
    send_dms(ours, [Notice(key, installation.user_id, welcome)])
    tr = _translator(args.request)
    return _page(200, installed_page(tr, facts, installation.team_name or team_id), tr)


def _failed(facts: PageFacts, args: FailureArgs) -> BoltResponse:
    why = "org_wide" if isinstance(args.error, OrgWideInstall) else _WHY.get(args.reason, "error")
    # The reason as Slack's redirect named it, only when it is one we know (a visitor may
    # write anything there): never a forged log line.
    said = args.reason if args.reason in _WHY else why
    logger.warning("an install did not go through: %s", said)
    tr = _translator(args.request)
    return _page(args.suggested_status_code, install_failed_page(tr, facts, why), tr)
