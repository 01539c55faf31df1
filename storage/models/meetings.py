"""Meetings and what leads up to them: reminders, answers, proposals with their votes, and
the delivery keys of messages sent exactly once."""

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

from storage.models.base import Base
from storage.types import UTCDateTime

if TYPE_CHECKING:
    from storage.models.groups import Group


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(500), default="")
    case_slots: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_by: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agenda_ts: Mapped[str | None] = mapped_column(String(32))
    start_ts: Mapped[str | None] = mapped_column(String(32))
    opening_ts: Mapped[str | None] = mapped_column(String(32))  # the started meeting's thread
    cases_chosen_by: Mapped[str | None] = mapped_column(String(32))
    evaluation_ts: Mapped[str | None] = mapped_column(String(32))

    group: Mapped[Group] = relationship()
    reminders: Mapped[list[Reminder]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Reminder.due_at"
    )


class Reminder(Base):
    """A promised message; the database is the source of truth for what is still to be sent."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("meeting_id", "kind", name="uq_reminders_meeting_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship(back_populates="reminders")


class Delivery(Base):
    """One message the bot sent, under a unique key, so that nothing is ever sent twice."""

    __tablename__ = "deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    # When the claim is held from: moved on by a takeover after a crash, or back when in doubt.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When the message was first claimed: Slack cannot have it from before.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the bot last lost track of whether Slack has it (an answer lost to a 5xx, a
    # timeout, a dropped connection); None after a crash, which the takeover's moment dates.
    doubted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MeetingResponse(Base):
    """A member's answer to the case request, e.g. "no case this time"."""

    __tablename__ = "meeting_responses"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    answer: Mapped[str] = mapped_column(String(16))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Proposal(Base):
    """Candidate times for a meeting: a date poll, or the next meeting at the group's cadence."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(32))
    minutes: Mapped[int] = mapped_column(Integer)
    location: Mapped[str] = mapped_column(String(500), default="")
    case_slots: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    confirmed_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    group: Mapped[Group] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    options: Mapped[list[ProposalOption]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalOption.starts_at"
    )


class ProposalOption(Base):
    __tablename__ = "proposal_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship(back_populates="options")
    votes: Mapped[list[ProposalVote]] = relationship(
        cascade="all, delete-orphan", order_by="ProposalVote.voted_at"
    )

    @property
    def voter_ids(self) -> list[str]:
        return [vote.user_id for vote in self.votes]


class ProposalVote(Base):
    __tablename__ = "proposal_votes"

    option_id: Mapped[int] = mapped_column(
        ForeignKey("proposal_options.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())
