"""Repository for issued proofs of participation, found by their verification code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from methods.verification import new_code
from storage.models import IssuedProof


def issue_proof(
    session: Session, meeting_id: int, user_id: str, fingerprint: str, facts: str, now: datetime
) -> IssuedProof:
    """The member's proof with these facts: the one issued before when nothing changed,
    otherwise a new one with a new code, which replaces the previous one."""
    issued = session.scalars(
        select(IssuedProof).where(
            IssuedProof.meeting_id == meeting_id, IssuedProof.user_id == user_id
        )
    ).all()
    same = next((p for p in issued if p.fingerprint == fingerprint), None)
    for other in issued:
        if other is not same and other.replaced_at is None:
            other.replaced_at = now
    if same is not None:
        same.replaced_at = None  # a correction undone: that proof holds again
        return same
    proof = IssuedProof(
        code=new_code(),
        meeting_id=meeting_id,
        user_id=user_id,
        fingerprint=fingerprint,
        facts=facts,
        issued_at=now,
    )
    session.add(proof)
    return proof


def withdraw_proofs(
    session: Session, meeting_id: int, user_ids: Sequence[str], now: datetime
) -> None:
    """A correction took them off the meeting's attendance: their proofs no longer hold."""
    for proof in session.scalars(
        select(IssuedProof).where(
            IssuedProof.meeting_id == meeting_id,
            IssuedProof.user_id.in_(user_ids),
            IssuedProof.replaced_at.is_(None),
        )
    ):
        proof.replaced_at = now


def find_proof(session: Session, code: str) -> IssuedProof | None:
    return session.get(IssuedProof, code)
