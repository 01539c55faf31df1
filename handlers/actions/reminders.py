"""The case request DM's "No case this time" button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.access import refusal, tell
from handlers.context import services_of
from handlers.payload import action_id, user_of
from rendering.reminder_messages import no_case_noted_message
from storage.meetings import answer_case_request, get_meeting
from usecases.meetings import meeting_facts


def no_case_clicked(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    respond: Respond,
    context: BoltContext,
) -> None:
    ack()
    services = services_of(context)
    user_id = user_of(body)
    with services.db.begin() as session:
        meeting = get_meeting(session, action_id(action))
        refused = refusal(services, user_id, meeting.group if meeting else None)
        if refused is not None or meeting is None:
            tell(respond, refused or "")
            return
        answer_case_request(session, meeting.id, user_id, "no_case", services.clock())
        tr = services.directory.translator(user_id, meeting.group.language)
        message = no_case_noted_message(tr, meeting_facts(meeting))
    respond(replace_original=True, **message)  # the DM clicked, by Slack's response URL
