"""The *Check a proof* modal: a field error for a code that is no code or no proof of the
group; otherwise the modal shows what the proof says."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from handlers.access import group_by_id
from handlers.context import services_of
from handlers.payload import user_of
from handlers.views.form import Submitted
from methods.verification import normalize_code
from rendering.verify_message import CODE, verified_view
from usecases.verification import verify


def check_proof(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    services = services_of(context)
    form = Submitted(view)
    tr = form.translator()
    typed = form.text(CODE)
    if normalize_code(typed) is None:
        ack(response_action="errors", errors={CODE: tr.t("verify.bad_code")})
        return
    group_id = form.metadata_int("group")
    group = group_by_id(services, group_id) if group_id else None
    if group is None or not group.may_act(services.team_id, user_of(body)):
        ack(response_action="errors", errors={CODE: tr.t("access.not_a_member_short")})
        return
    verified = verify(services.db, typed)
    if verified is None or verified.group_id != group.id:
        ack(response_action="errors", errors={CODE: tr.t("verify.not_in_group")})
        return
    ack(response_action="update", view=verified_view(tr, verified))
