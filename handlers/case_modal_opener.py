"""Open the case modal for a member, from wherever they asked for it."""

from __future__ import annotations

from slack_sdk import WebClient

from methods.cases import CaseFields
from rendering.case_modal import case_modal
from usecases.cases import MEETING_TARGET, case_translator, targets_for
from usecases.services import Services


def open_case_modal(
    services: Services,
    client: WebClient,
    trigger_id: str,
    user_id: str,
    *,
    meeting_id: int | None = None,
    group_id: int | None = None,
    case_id: int | None = None,
    fields: CaseFields | None = None,
    target: str | None = None,
) -> bool:
    """False when the member is in no group, so there is nothing to bring a case to."""
    tr = case_translator(services, user_id, group_id, meeting_id)
    targets = targets_for(services, user_id, tr)
    if not targets:
        return False
    if target is None and meeting_id is not None:
        target = f"{MEETING_TARGET}:{meeting_id}"
    if target is None and group_id is not None:
        target = next((t.value for t in targets if t.group_id == group_id), None)
    view = case_modal(tr, targets, chosen_target=target, fields=fields, case_id=case_id)
    client.views_open(trigger_id=trigger_id, view=view)
    return True
