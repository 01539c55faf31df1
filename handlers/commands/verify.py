"""`/intervisie verify <code>`: check a proof of participation of this group. Without a code
(and from the panel) a modal asks for it."""

from __future__ import annotations

from handlers.commands.call import CommandCall, member_group
from methods.verification import normalize_code
from rendering.markup import join
from rendering.verify_message import verification_message, verify_modal
from usecases.verification import verify


def verify_proof(call: CommandCall) -> None:
    group = member_group(call)
    if group is None:
        return
    if not call.args:
        call.client.views_open(trigger_id=call.trigger_id, view=verify_modal(call.tr, group.id))
        return
    if normalize_code(call.args) is None:
        call.reply_text(join(" ", [call.tr.t("verify.bad_code"), call.tr.t("verify.usage")]))
        return
    verified = verify(call.services.db, call.args)
    if verified is None or verified.group_id != group.id:
        call.reply_text(call.tr.t("verify.not_in_group"))
        return
    call.reply(verification_message(call.tr, verified))
