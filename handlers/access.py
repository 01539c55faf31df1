"""Who may do what: every member (and the facilitator) may do everything for their own group;
anyone else gets a short explanation and nothing else."""

from __future__ import annotations

from slack_bolt import Respond

from rendering.i18n import Translator
from storage.groups import get_group, group_in_channel
from storage.models import Group
from usecases.answers import Answer
from usecases.services import Services


def channel_group(services: Services, channel_id: str) -> Group | None:
    with services.db() as session:
        return group_in_channel(session, services.team_id, channel_id)


def group_by_id(services: Services, group_id: int) -> Group | None:
    with services.db() as session:
        return get_group(session, group_id)


def refusal(services: Services, user_id: str, group: Group | None) -> str | None:
    """None when `user_id` may act for `group`; otherwise what to tell them, in their language."""
    tr: Translator = services.directory.translator(user_id)
    if group is None:
        return tr.t("access.no_group")
    if not group.may_act(services.team_id, user_id):
        return tr.t("access.not_a_member")
    return None


def tell(respond: Respond | None, text: str) -> None:
    """An answer only the person who clicked or typed sees, leaving the original message alone.
    Clicks in the App Home or a modal have nowhere to answer: the view itself shows the state."""
    if respond is None or respond.response_url is None:
        return
    respond(text=text, response_type="ephemeral", replace_original=False)


def explain(
    services: Services, user_id: str, answer: Answer, respond: Respond | None, texts: str
) -> None:
    """Tell the person why nothing happened (`texts` names the catalogue section)."""
    if answer is not Answer.DONE:
        tell(respond, services.directory.translator(user_id).t(f"{texts}.{answer.value}"))


def answer(services: Services, user_id: str, respond: Respond | None, text: str) -> None:
    """Tell the person why nothing happened: beside the message they clicked, or, for a click
    in the App Home (which has nowhere to answer), in a DM from the bot."""
    if respond is not None and respond.response_url is not None:
        tell(respond, text)
    else:
        services.client.chat_postMessage(channel=user_id, text=text)
