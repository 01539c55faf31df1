"""`/intervisie case` (bring in a case) and `/intervisie cases` (your own cases)."""

from __future__ import annotations

from handlers.access import channel_group
from handlers.case_modal_opener import open_case_modal
from handlers.commands.call import CommandCall
from rendering.my_cases import my_cases_message
from usecases.cases import my_cases


def new_case(call: CommandCall) -> None:
    here = channel_group(call.services, call.channel_id)
    group_id = (
        here.id if here is not None and here.may_act(call.services.team_id, call.user_id) else None
    )
    opened = open_case_modal(
        call.services, call.client, call.trigger_id, call.user_id, group_id=group_id
    )
    if not opened:
        call.reply_text(call.tr.t("case.no_group"))


def list_cases(call: CommandCall) -> None:
    call.reply(my_cases_message(call.tr, my_cases(call.services, call.user_id, call.tr)))
