"""Repository for candidate-time proposals and members' availability votes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from storage.db import toggle_row
from storage.models import Group, Proposal, ProposalOption, ProposalVote

OPEN = "open"
CONFIRMED = "confirmed"
POLL = "poll"
CADENCE = "cadence"


def add_proposal(
    session: Session,
    group: Group,
    *,
    kind: str,
    created_by: str,
    starts: Sequence[datetime],
    minutes: int,
    location: str,
    case_slots: int,
    now: datetime,
) -> Proposal:
    proposal = Proposal(
        group=group,
        kind=kind,
        created_by=created_by,
        minutes=minutes,
        location=location,
        case_slots=case_slots,
        status=OPEN,
        created_at=now,
        options=[ProposalOption(starts_at=start) for start in sorted(starts)],
    )
    session.add(proposal)
    session.flush()
    return proposal


def get_option(session: Session, option_id: int) -> ProposalOption | None:
    return session.get(ProposalOption, option_id)


def toggle_vote(session: Session, option: ProposalOption, user_id: str, now: datetime) -> bool:
    """Mark or unmark that `user_id` can make this option; True when they now can."""
    table = ProposalVote.__table__
    return toggle_row(
        session, table, {"option_id": option.id, "user_id": user_id}, {"voted_at": now}
    )
