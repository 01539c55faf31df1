"""The typed ORM models, by what the tables belong to; every model is importable from here,
and importing this package registers them all in `Base.metadata` (for Alembic)."""

from storage.models.base import Base
from storage.models.cases import (
    Case,
    CaseRun,
    CaseVote,
    Contribution,
    Evaluation,
    RunMessage,
    Takeaway,
)
from storage.models.coaching import CoachNote, ControlClick, GroupTip
from storage.models.groups import Group, GroupMember, GroupPhaseMinutes, Person
from storage.models.meetings import (
    Delivery,
    Meeting,
    MeetingResponse,
    Proposal,
    ProposalOption,
    ProposalVote,
    Reminder,
)
from storage.models.records import Attendance, IssuedProof, MeetingRecord
from storage.models.workspaces import (
    SLACK_BOTS,
    SLACK_INSTALLATIONS,
    SLACK_OAUTH_STATES,
    TOKEN_COLUMNS,
    EncryptionCheck,
    Installation,
    ProcessedEvent,
)

__all__ = [
    "SLACK_BOTS",
    "SLACK_INSTALLATIONS",
    "SLACK_OAUTH_STATES",
    "TOKEN_COLUMNS",
    "Attendance",
    "Base",
    "Case",
    "CaseRun",
    "CaseVote",
    "CoachNote",
    "Contribution",
    "ControlClick",
    "Delivery",
    "EncryptionCheck",
    "Evaluation",
    "Group",
    "GroupMember",
    "GroupPhaseMinutes",
    "GroupTip",
    "Installation",
    "IssuedProof",
    "Meeting",
    "MeetingRecord",
    "MeetingResponse",
    "Person",
    "ProcessedEvent",
    "Proposal",
    "ProposalOption",
    "ProposalVote",
    "Reminder",
    "RunMessage",
    "Takeaway",
]
