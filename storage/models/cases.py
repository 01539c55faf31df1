"""Cases and how they are discussed: votes, case runs with their contributions and outbox, and
what follows (takeaways, goals, evaluations)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.crypto import EncryptedText
from storage.models.base import Base
from storage.types import UTCDateTime

if TYPE_CHECKING:
    from storage.models.groups import Group
    from storage.models.meetings import Meeting


class Case(Base):
    """A case a member brings in. Confidential: only the group's members ever see it."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(EncryptedText())
    situation: Mapped[str] = mapped_column(EncryptedText())
    question: Mapped[str] = mapped_column(EncryptedText())
    kind: Mapped[str] = mapped_column(String(16))
    method: Mapped[str | None] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    link: Mapped[str | None] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    consent: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    votes: Mapped[list[CaseVote]] = relationship(
        cascade="all, delete-orphan", order_by="CaseVote.voted_at", lazy="selectin"
    )

    @property
    def voter_ids(self) -> list[str]:
        return [vote.user_id for vote in self.votes]


class CaseVote(Base):
    __tablename__ = "case_votes"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseRun(Base):
    """One case being worked through with a method during a meeting."""

    __tablename__ = "case_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    method_id: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(8), default="live", server_default="live")
    nudged_phase: Mapped[int | None] = mapped_column(Integer)  # async: nudges sent for it
    # The phase in which the case owner was reminded that the round is for listening.
    owner_reminded_phase: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    phase: Mapped[int] = mapped_column(Integer, default=0)
    phase_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ran_before: Mapped[float] = mapped_column(Float, default=0.0)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heads_up_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    over_announced: Mapped[bool] = mapped_column(Boolean, default=False)
    chair_id: Mapped[str | None] = mapped_column(String(32))
    timekeeper_id: Mapped[str | None] = mapped_column(String(32))
    parent_ts: Mapped[str | None] = mapped_column(String(32), index=True)  # the case's thread
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship()
    case: Mapped[Case] = relationship()


class Contribution(Base):
    """A question, hypothesis or advice a member added during a collection phase, with the
    button or as a reply in the case's thread (`message_ts`: that reply)."""

    __tablename__ = "contributions"
    __table_args__ = (UniqueConstraint("run_id", "message_ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("case_runs.id", ondelete="CASCADE"), index=True)
    phase_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message_ts: Mapped[str | None] = mapped_column(String(32))


class RunMessage(Base):
    """The outbox of a case run: what it must post, in order, written in the same transaction
    as the state change that calls for it, and delivered (once) after that commits."""

    __tablename__ = "run_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("case_runs.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[str | None] = mapped_column(EncryptedText())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ts: Mapped[str | None] = mapped_column(String(32))  # where Slack put it, once posted


class Takeaway(Base):
    """What a case owner takes away from their case, and the goal followed up next time.
    Confidential: shown to the owner, and to the group only when the owner shares it."""

    __tablename__ = "takeaways"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("case_runs.id", ondelete="CASCADE"), unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    owner_id: Mapped[str] = mapped_column(String(32), index=True)
    case_title: Mapped[str] = mapped_column(EncryptedText())
    status: Mapped[str] = mapped_column(String(16), default="asked")
    learned: Mapped[str | None] = mapped_column(EncryptedText())
    attention: Mapped[str | None] = mapped_column(EncryptedText())
    goal: Mapped[str | None] = mapped_column(EncryptedText())
    target_date: Mapped[date | None] = mapped_column(Date)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    reflection: Mapped[str | None] = mapped_column(EncryptedText())
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reported_meeting_id: Mapped[int | None] = mapped_column(Integer)


class Evaluation(Base):
    """One member's evaluation of a meeting; shown to the group only as an anonymous summary."""

    __tablename__ = "evaluations"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    safety: Mapped[int] = mapped_column(Integer)
    usefulness: Mapped[int] = mapped_column(Integer)
    remark: Mapped[str | None] = mapped_column(EncryptedText())
    # The writer agreed that the group may read the remark (anonymously, beside 3+ answers).
    remark_shared: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
