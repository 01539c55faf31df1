"""Verification of proofs of participation: what a proof said, found by its code.

A proof's facts are stored as sent (the name, the times in the attendee's zone, the others or
their count), so the verification page shows exactly what the paper shows, in either language,
and says when a correction replaced it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from methods.attendance import Attended
from methods.verification import normalize_code
from rendering.attendance_files import Proof, Verified
from storage.proofs import find_proof


def proof_json(proof: Proof) -> str:
    meeting = proof.meeting
    return json.dumps(
        {
            "name": proof.name,
            "group": proof.group,
            "meeting_id": meeting.meeting_id,
            "started_at": meeting.started_at.isoformat(),
            "ended_at": meeting.ended_at.isoformat(),
            "minutes": meeting.minutes,
            "methods": list(meeting.methods),
            "cases": meeting.cases_discussed,
            "others": None if proof.others is None else list(proof.others),
            "other_count": proof.other_count,
            "reference": proof.reference,
            "corrected_at": proof.corrected_at.isoformat() if proof.corrected_at else None,
            "tz": proof.tz.key,
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def proof_from_json(text: str) -> Proof:
    facts = json.loads(text)
    corrected = facts["corrected_at"]
    return Proof(
        name=facts["name"],
        group=facts["group"],
        meeting=Attended(
            meeting_id=facts["meeting_id"],
            group_name=facts["group"],
            started_at=datetime.fromisoformat(facts["started_at"]),
            ended_at=datetime.fromisoformat(facts["ended_at"]),
            minutes=facts["minutes"],
            methods=tuple(facts["methods"]),
            cases_discussed=facts["cases"],
        ),
        others=None if facts["others"] is None else tuple(facts["others"]),
        other_count=facts["other_count"],
        reference=facts["reference"],
        corrected_at=datetime.fromisoformat(corrected) if corrected else None,
        tz=ZoneInfo(facts["tz"]),
    )


def fingerprint(facts: str) -> str:
    return hashlib.sha256(facts.encode()).hexdigest()[:32]


def verify(db: sessionmaker[Session], typed: str) -> Verified | None:
    """The proof with the code `typed` (as people type it), or None."""
    code = normalize_code(typed)
    if code is None:
        return None
    with db() as session:
        issued = find_proof(session, code)
        if issued is None:
            return None
        return Verified(
            proof=proof_from_json(issued.facts),
            code=issued.code,
            group_id=issued.record.group_id,
            replaced_at=issued.replaced_at,
        )
