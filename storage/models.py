"""The typed ORM models."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.crypto import EncryptedText
from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """What the bot knows of a Slack user to speak their language and show their times."""

    __tablename__ = "people"

    # The workspace whose bot knows them ("" in a database from before many workspaces, until
    # its one workspace adopts it at start).
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True, server_default="")
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    locale: Mapped[str | None] = mapped_column(String(16))
    tz: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The workspace the person belongs to themselves, as Slack says: in a channel shared
    # between organisations it differs from `team_id` for the members of the others.
    user_team: Mapped[str | None] = mapped_column(String(32))
    # The yearly attendance target of the member's professional register (None: the default).
    target_meetings: Mapped[int | None] = mapped_column(Integer)
    target_minutes: Mapped[int | None] = mapped_column(Integer)
    # Working hours for asynchronous cases (None: 09:00-17:00 on weekdays), local "HH:MM".
    work_start: Mapped[str | None] = mapped_column(String(5))
    work_end: Mapped[str | None] = mapped_column(String(5))
    work_days: Mapped[str | None] = mapped_column(String(7))  # weekday digits, Monday is 0


class Group(Base):
    """An intervisie group; it lives in one Slack channel. A channel shared between
    organisations (Slack Connect) still holds one group, acted for by the workspace that set it
    up, whichever other workspaces have the app installed too."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The workspace that installed the bot for this group (see Person.team_id); Enterprise Grid
    # gives the organisation's id too.
    team_id: Mapped[str] = mapped_column(String(32), index=True, server_default="")
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    facilitator_id: Mapped[str | None] = mapped_column(String(32))
    cadence_weeks: Mapped[int] = mapped_column(Integer)
    meeting_minutes: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    ground_rules: Mapped[str] = mapped_column(Text)
    case_request_days: Mapped[int] = mapped_column(Integer, default=7)
    agenda_hours: Mapped[int] = mapped_column(Integer, default=24)
    soon_minutes: Mapped[int] = mapped_column(Integer, default=15)
    auto_advance: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    follow_up_days: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    retention_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    # Whether a proof of participation names the other attendees.
    share_attendee_names: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pause_reason: Mapped[str | None] = mapped_column(String(32))
    welcome_ts: Mapped[str | None] = mapped_column(String(32))
    # The pinned panel: a button for everything a member does (members of other organisations
    # in a shared channel cannot use the slash command).
    panel_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        order_by="GroupMember.user_id",
        lazy="selectin",
    )

    @property
    def member_ids(self) -> list[str]:
        return [member.user_id for member in self.members]

    def may_act(self, team_id: str, user_id: str) -> bool:
        """Every member, and the facilitator, may do everything for the group, from the
        workspace it belongs to (a request or job of another workspace may not touch it)."""
        return self.team_id == team_id and (
            user_id in self.member_ids or user_id == self.facilitator_id
        )


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    group: Mapped[Group] = relationship(back_populates="members")


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


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


class GroupPhaseMinutes(Base):
    """A group's own duration for one phase of a method."""

    __tablename__ = "group_phase_minutes"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    method_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    phase_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)


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


class EncryptionCheck(Base):
    """A token of a known text, to prove at start that ENCRYPTION_KEY reads this database."""

    __tablename__ = "encryption_check"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    token: Mapped[str] = mapped_column(Text)


class Installation(Base):
    """Whether Slack still lets the bot act in its workspace (uninstalled or tokens revoked)."""

    __tablename__ = "installation"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(32))


class ProcessedEvent(Base):
    """An Events API delivery, or a modal submission, handled once: Slack's retries and double
    clicks on Submit are acknowledged and skipped."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


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


# Slack's installations and one-time OAuth states when many workspaces install the app: the
# tables of slack_sdk's SQLAlchemy stores, in this metadata so that Alembic creates them. The
# tokens are encrypted like case content.
TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def _encrypt_tokens(table: Table) -> Table:
    for name in TOKEN_COLUMNS:
        if name in table.c:
            table.c[name].type = EncryptedText()
    return table


SLACK_INSTALLATIONS = _encrypt_tokens(
    SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations")
)
SLACK_BOTS = _encrypt_tokens(
    SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, "slack_oauth_states"
)
