"""`/intervisie verify <code>` and the panel's *Check a proof*: what a proof of the group says,
or whether a correction replaced it; and the modal to type a code in."""

from __future__ import annotations

from typing import Any

from rendering.attendance_files import Verified, proof_rows, reader_date
from rendering.blocks import Block, context, header, section
from rendering.forms import field, modal, text_input
from rendering.i18n import Translator
from rendering.markup import fmt, join

VERIFY_MODAL = "verify_modal"
CODE = "code"


def verification_blocks(tr: Translator, verified: Verified) -> list[Block]:
    if verified.replaced_at is not None:
        date = reader_date(tr, verified.replaced_at, verified.proof.tz)
        verdict = fmt("*{}*", tr.t("verify.replaced", date=date))
    else:
        verdict = tr.t("verify.valid")
    rows = [(tr.t("verify.code_of"), verified.code), *proof_rows(tr, verified.proof)]
    facts = join("\n", (fmt("*{}:* {}", label, value) for label, value in rows))
    return [header(tr.t("verify.page_title")), section(verdict), section(facts)]


def verification_message(tr: Translator, verified: Verified) -> dict[str, Any]:
    return {"text": tr.t("verify.page_title"), "blocks": verification_blocks(tr, verified)}


def verify_modal(tr: Translator, group_id: int) -> dict[str, Any]:
    blocks: list[Block] = [
        field(
            CODE,
            tr.t("verify.modal_label"),
            text_input(max_length=40, placeholder="ABCD-EFGH-JKMN-PQRS"),
            hint=tr.t("verify.modal_hint"),
        )
    ]
    return modal(
        VERIFY_MODAL,
        tr.t("verify.modal_title"),
        tr.t("verify.modal_submit"),
        tr.t("modal.close"),
        blocks,
        {"lang": tr.language, "group": group_id},
    )


def verified_view(tr: Translator, verified: Verified) -> dict[str, Any]:
    """The modal, after a good code: what the proof says (no submit button)."""
    view = modal(
        VERIFY_MODAL,
        tr.t("verify.modal_title"),
        tr.t("verify.modal_submit"),
        tr.t("modal.close"),
        [*verification_blocks(tr, verified)[1:], context(tr.t("verify.modal_hint"))],
        {"lang": tr.language},
    )
    del view["submit"]
    return view
