"""People and their groups: profiles, groups, membership, a group's own phase durations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from methods.coaching import COACHING, OBSERVING
from storage.models.base import Base
from storage.types import UTCDateTime


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
    # The coach's path (see methods/coaching.py): "coaching", "observing" (stepped back) or
    # "handed_over"; the last step, when and from which stance (undone before the next meeting).
    coach_stance: Mapped[str] = mapped_column(String(12), default=COACHING, server_default=COACHING)
    coach_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    coach_step_from: Mapped[str | None] = mapped_column(String(12))
    former_coach_id: Mapped[str | None] = mapped_column(String(32))  # who handed over
    runs_itself_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A former coach called back for one meeting: invited, and whether they accepted.
    guest_coach_id: Mapped[str | None] = mapped_column(String(32))
    guest_meeting_id: Mapped[int | None] = mapped_column(Integer)
    guest_accepted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The readiness checklist's thresholds: the recent meetings counted, the share (percent)
    # of phases moved on by members, the methods used.
    ready_meetings: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    ready_share: Mapped[int] = mapped_column(Integer, default=80, server_default="80")
    ready_methods: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
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
        return self.team_id == team_id and (user_id in self.member_ids or user_id in self.coach_ids)

    @property
    def coach_ids(self) -> tuple[str, ...]:
        """The group's coach, and a former coach who accepted to come back for a meeting."""
        coaches = [self.facilitator_id]
        if self.guest_accepted:
            coaches.append(self.guest_coach_id)
        return tuple(c for c in coaches if c)

    def release_guest(self) -> None:
        """A former coach called back leaves again (the meeting ended, or they declined)."""
        self.guest_coach_id = self.guest_meeting_id = None
        self.guest_accepted = False

    def observing(self, user_id: str, meeting_started: datetime | None) -> bool:
        """`user_id` coaches the meeting that started at `meeting_started` from the side: the
        coach stepped back before it started, or a former coach came back for it. Members hold
        every role and control."""
        if user_id in self.member_ids or user_id not in self.coach_ids:
            return False
        if user_id != self.facilitator_id:
            return True  # called back for one meeting
        if self.coach_stance != OBSERVING:
            return False
        step = self.coach_step_at
        return step is None or meeting_started is None or meeting_started > step


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

    group: Mapped[Group] = relationship(back_populates="members")


class GroupPhaseMinutes(Base):
    """A group's own duration for one phase of a method."""

    __tablename__ = "group_phase_minutes"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    method_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    phase_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)
