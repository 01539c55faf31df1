"""Meeting records for professional registers: attendance and the proofs issued."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.crypto import EncryptedText
from storage.models.base import Base
from storage.types import UTCDateTime

if TYPE_CHECKING:
    from storage.models.groups import Group
    from storage.models.meetings import Meeting


class MeetingRecord(Base):
    """What a held meeting was, for the members' registers: when, how long, which methods and
    how many cases. Never any case content. Written when the meeting ends."""

    __tablename__ = "meeting_records"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes: Mapped[int] = mapped_column(Integer)
    method_ids: Mapped[str] = mapped_column(String(200))  # comma-separated, in order of use
    cases_discussed: Mapped[int] = mapped_column(Integer)
    corrected_by: Mapped[str | None] = mapped_column(String(32))
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship()
    group: Mapped[Group] = relationship()

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(m for m in self.method_ids.split(",") if m)


class IssuedProof(Base):
    """One attendee's proof of participation as it was sent, found by its verification code.
    A correction of the meeting's record replaces it (the old code then says so)."""

    __tablename__ = "issued_proofs"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", "fingerprint"),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)  # unguessable
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_records.meeting_id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the facts, to issue once
    facts: Mapped[str] = mapped_column(EncryptedText())  # what the proof says, as JSON
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    record: Mapped[MeetingRecord] = relationship()


class Attendance(Base):
    """A member who was present at a meeting: marked by themselves, or by the chair."""

    __tablename__ = "attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    marked_by: Mapped[str] = mapped_column(String(32))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())
