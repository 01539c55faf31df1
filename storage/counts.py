"""How much the deployment holds, for the host's metrics: counts only, no content, no ids."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.installation import is_revoked
from storage.models import SLACK_BOTS, CaseRun, Group
from storage.runs import RUNNING


@dataclass(frozen=True)
class Totals:
    workspaces: int
    groups: int
    running_cases: int


def totals(session: Session, many_workspaces: bool) -> Totals:
    """Three COUNTs. With many workspaces, those with a bot installation; with one, it alone
    unless the app was removed there."""
    if many_workspaces:
        installed = select(func.count(func.distinct(SLACK_BOTS.c.team_id)))
        workspaces = int(session.execute(installed).scalar_one())
    else:
        workspaces = 0 if is_revoked(session) else 1
    groups = session.execute(select(func.count()).select_from(Group)).scalar_one()
    running = select(func.count()).select_from(CaseRun).where(CaseRun.status == RUNNING)
    return Totals(workspaces, int(groups), int(session.execute(running).scalar_one()))
