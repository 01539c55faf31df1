"""Module-level job functions with plain arguments, as APScheduler stores them by reference.

`install` hands them the running bot's services when the process starts its scheduler. A job
that acts in a workspace carries its team id, never a token: the token is looked up when the
job runs.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby

from usecases.live.moving_on import tick_runs
from usecases.panel import post_missing_panels as give_panels
from usecases.reminders import deliver_reminder
from usecases.retention import purge_expired
from usecases.review import send_due_reviews
from usecases.services import Services

logger = logging.getLogger(__name__)
_installed: list[Services] = []


def install(services: Services) -> None:
    _installed[:] = [services]


def _services() -> Services:
    if not _installed:
        raise RuntimeError("bot.jobs.install(services) must run before jobs do")
    return _installed[0]


def _workspace(team_id: str) -> Services | None:
    """The services of the job's workspace; None when the job must not call Slack there (the
    app was uninstalled, or its token revoked)."""
    services = _services()
    if services.gate.closed:  # one workspace, uninstalled: what is pending stays untouched
        return None
    found = services.in_workspace(team_id)
    if found is None:
        logger.warning(
            "a job for workspace %s found no installation there; skipped",
            team_id,
            extra={"team": team_id},
        )
    return found


def send_reminder(team_id: str, reminder_id: int) -> None:
    services = _workspace(team_id)
    if services is not None:
        deliver_reminder(services, reminder_id)


def reconcile_reminders() -> None:
    _services().scheduler.sync()


def tick_run(team_id: str, run_id: int) -> None:
    if _workspace(team_id) is not None:
        _services().due_runs.handle((team_id, run_id), _tick_batch)


def _tick_batch(due: list[tuple[str, int]]) -> None:
    """Case timers that fired together, moved on per workspace, each with its own token; the
    workspaces side by side, so that one whose Slack answers slowly holds up no other."""
    teams = [
        (team_id, [run_id for _, run_id in runs])
        for team_id, runs in groupby(sorted(due), key=lambda item: item[0])
    ]
    if len(teams) == 1:
        _tick_team(*teams[0])
        return
    with ThreadPoolExecutor(len(teams), thread_name_prefix="workspace") as side_by_side:
        moved = [side_by_side.submit(_tick_team, *team) for team in teams]
    for team in moved:
        team.result()  # a workspace's failure reaches the batch's log, after all the others


def _tick_team(team_id: str, run_ids: list[int]) -> None:
    services = _workspace(team_id)
    if services is not None:
        tick_runs(services, run_ids)


def purge_expired_content() -> None:
    purge_expired(_services())


def send_year_reviews() -> None:
    """Hourly: the year reviews that are due (see bot/review.py), each sent once."""
    services = _services()
    if not services.gate.closed:
        send_due_reviews(services)


def post_missing_panels() -> None:
    """Once at the start of leading: groups set up before the panel existed get theirs."""
    services = _services()
    if not services.gate.closed:
        give_panels(services)
