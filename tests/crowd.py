"""Many groups at once, for the stories and benchmarks that need a crowd: groups with members,
meetings and cases, and cases running their first phase."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from methods.engine import start
from storage.models import Case, CaseRun, Group, GroupMember, Meeting
from tests.slackkit.fake_slack import BOT_USER_ID, FakeChannel, FakeSlack
from usecases.clock import utc_now


def team_of(group: int, teams: int) -> str:
    """The workspace of a seeded group when `teams` workspaces share them ("" for none)."""
    return f"TB{group % teams:05d}" if teams else ""


def seed(db: sessionmaker[Session], groups: int, cases: int, teams: int = 0) -> None:
    now = utc_now()
    group_rows = [
        {
            "id": g,
            "team_id": team_of(g, teams),
            "channel_id": f"CB{g:07d}",
            "name": f"Group {g}",
            "facilitator_id": None,
            "cadence_weeks": 8,
            "meeting_minutes": 120,
            "language": "en",
            "timezone": "Europe/Amsterdam",
            "ground_rules": "What is shared here stays here.",
            "case_request_days": 7,
            "agenda_hours": 24,
            "soon_minutes": 15,
            "auto_advance": True,
            "follow_up_days": 3,
            "created_at": now,
            "updated_at": now,
        }
        for g in range(1, groups + 1)
    ]
    members = [
        {"group_id": g, "user_id": f"UB{g:06d}{m}"} for g in range(1, groups + 1) for m in range(5)
    ]
    meetings = [
        {
            "id": g,
            "group_id": g,
            "uid": f"bench-{g}@intervisie-bot",
            "starts_at": now + timedelta(days=10),
            "minutes": 120,
            "location": "",
            "case_slots": 2,
            "status": "scheduled",
            "sequence": 0,
            "created_by": f"UB{g:06d}0",
            "created_at": now,
            "updated_at": now,
        }
        for g in range(1, groups + 1)
    ]
    case_rows = [
        {
            "group_id": (c % groups) + 1,
            "meeting_id": (c % groups) + 1,
            "owner_id": f"UB{(c % groups) + 1:06d}{c % 5}",
            "title": f"Case {c}",
            "situation": "A situation.",
            "question": "A question?",
            "kind": "problem",
            "method": None,
            "urgency": "medium",
            "link": None,
            "status": "submitted",
            "created_at": now,
            "updated_at": now,
        }
        for c in range(cases)
    ]
    with db.begin() as session:
        for model, rows in (
            (Group, group_rows),
            (GroupMember, members),
            (Meeting, meetings),
            (Case, case_rows),
        ):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])


def running_cases(
    fake: FakeSlack, db: sessionmaker[Session], sessions: int, begin: datetime, step: float
) -> None:
    """`sessions` groups, each with a case in its first phase (the incident method); case n
    starts `n * step` seconds after `begin`, and its parent message's ts numbers it."""
    seed(db, sessions, sessions)
    for g in range(1, sessions + 1):
        fake.add_channel(FakeChannel(f"CB{g:07d}", f"group-{g}", True, {BOT_USER_ID}))
    with db.begin() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        session.execute(
            insert(CaseRun),
            [
                {
                    "meeting_id": case.meeting_id,
                    "case_id": case.id,
                    "position": 0,
                    "method_id": "incident",
                    "status": "running",
                    "phase": 0,
                    "phase_started_at": start(begin + timedelta(seconds=n * step)).phase_started_at,
                    "ran_before": 0.0,
                    "extra_minutes": 0,
                    "heads_up_sent": False,
                    "over_announced": False,
                    "parent_ts": f"1700000000.{n:06d}",
                }
                for n, case in enumerate(cases)
            ],
        )
