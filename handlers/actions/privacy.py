"""The "delete my data" button of `/intervisie forget-me`: it only ever acts on the clicker."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from handlers.context import services_of
from handlers.payload import user_of
from rendering.privacy_messages import forgotten_message
from usecases.home import publish_home
from usecases.privacy import forget_user


def forget_me_clicked(
    ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    tr = services.directory.translator(user_id)  # before: afterwards, nothing is kept of them
    forget_user(services, user_id)
    respond(replace_original=True, **forgotten_message(tr))
    publish_home(services, user_id, tr)
