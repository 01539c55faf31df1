"""The coach's path to a self-running group: who moved a case on (by role, never by name), the
notes a coach adds to a phase, and the tips a group keeps for a phase of a method."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import EncryptedText
from storage.models.base import Base
from storage.types import UTCDateTime


class ControlClick(Base):
    """A click on a running case's controls (next, pause, ...), by a member or by the coach:
    the coach's view counts who moves the group on. No person is named."""

    __tablename__ = "control_clicks"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("case_runs.id", ondelete="CASCADE"), index=True)
    phase: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(8))
    by_role: Mapped[str] = mapped_column(String(8))  # "member" or "coach"
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CoachNote(Base):
    """A coach's note to one phase of a running case, posted in its thread. Confidential like
    the advice: kept only until the group's retention removes the case's content."""

    __tablename__ = "coach_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("case_runs.id", ondelete="CASCADE"), index=True)
    phase_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GroupTip(Base):
    """What a group keeps for one phase of a method ("Our tip: ..."), shown in that group's
    prompt for the phase; never to another group."""

    __tablename__ = "group_tips"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    method_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    phase_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(EncryptedText())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
