"""What a live case edits in place rather than posts: a prompt (its heads-up, a round's
count) and the case's parent message, which shows where the case is. An edit never holds up
the prompts after it: refused over Slack's rate limit, it goes again in the updates' lane."""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError

from rendering.markup import Mrkdwn
from rendering.run_messages import parent_message
from storage.runs import get_run, posted_message
from usecases.live.state import facts_of
from usecases.meetings import group_translator
from usecases.sending import retry_after, without_waiting
from usecases.services import Services

logger = logging.getLogger(__name__)


def stored_message(body: str | None) -> dict[str, Any]:
    """An outbox message as its builder made it: its `text` is markup already."""
    message: dict[str, Any] = json.loads(body or "{}")
    if isinstance(message.get("text"), str):
        message["text"] = Mrkdwn(message["text"])
    return message


def edit_prompt(services: Services, run_id: int, edit: dict[str, Any]) -> None:
    """Show `edit["message"]` in place of the run's message posted under `edit["prompt"]`.
    An edit over Slack's rate limit does not wait for its place (the prompts after it would
    wait with it): it goes again in the updates' lane once the limit allows, unless a newer
    edit of the message went out meanwhile."""
    with services.db() as session:
        run = get_run(session, run_id)
        prompt = posted_message(session, run_id, str(edit.get("prompt")))
        if run is None or prompt is None or prompt.ts is None:
            return
        channel, ts = run.meeting.group.channel_id, prompt.ts
    key = f"edit:{run_id}:{edit.get('prompt')}"
    try:
        with without_waiting():
            services.client.chat_update(
                channel=channel, ts=ts, **stored_message(json.dumps(edit["message"]))
            )
        services.updates.superseded(key)
    except SlackApiError as error:
        wait = retry_after(error)
        if wait is not None:
            services.updates.after(key, wait, partial(edit_prompt, services, run_id, edit))
            return
        logger.warning(
            "could not edit a message of case run %s in Slack", run_id, extra={"run": run_id}
        )
    except OSError:
        logger.warning(
            "could not edit a message of case run %s in Slack", run_id, extra={"run": run_id}
        )


def refresh_parent(services: Services, run_id: int) -> None:
    """Bring the case's parent message up to date with where the run is now."""
    with services.db() as session:
        run = get_run(session, run_id)
        if run is None or run.parent_ts is None:
            return
        tr = group_translator(run.meeting.group)
        message = parent_message(tr, facts_of(session, run, services.settings.time_scale))
        channel, ts = run.meeting.group.channel_id, run.parent_ts
    update_parent(services, run_id, channel, ts, message)


def update_parent(
    services: Services,
    run_id: int,
    channel: str,
    ts: str,
    message: dict[str, Any],
    lane: bool = False,
) -> None:
    """In the updates' lane (`lane`), an update Slack's limit refused is raised, for the lane
    to send again once the limit allows. Outside it, the update does not wait for its place
    within Slack's limits (what comes after it would wait too): refused, it goes in the lane
    after the Retry-After, unless a newer update of the message goes out first."""
    key = f"parent:{run_id}"
    try:
        if lane:
            services.client.chat_update(channel=channel, ts=ts, **message)
        else:
            with without_waiting():
                services.client.chat_update(channel=channel, ts=ts, **message)
            services.updates.superseded(key)
    except SlackApiError as error:
        wait = retry_after(error)
        if wait is None:
            logger.exception(
                "could not update the parent message of case run %s", run_id, extra={"run": run_id}
            )
        elif lane:
            raise
        else:
            again = partial(update_parent, services, run_id, channel, ts, message, lane=True)
            services.updates.after(key, wait, again)
    except OSError:
        logger.exception(
            "could not update the parent message of case run %s", run_id, extra={"run": run_id}
        )
