"""Module-level job functions with plain arguments, as APScheduler stores them by reference.

`install` hands them the running bot's services when the process starts its scheduler.
"""

from __future__ import annotations

from bot.live import tick_runs
from bot.reminders import deliver_reminder
from bot.retention import purge_expired
from bot.services import Services

_installed: list[Services] = []


def install(services: Services) -> None:
    _installed[:] = [services]


def _services() -> Services:
    if not _installed:
        raise RuntimeError("bot.jobs.install(services) must run before jobs do")
    return _installed[0]


def send_reminder(reminder_id: int) -> None:
    services = _services()
    if not services.gate.closed:  # uninstalled: the reminder stays pending, untouched
        deliver_reminder(services, reminder_id)


def reconcile_reminders() -> None:
    _services().scheduler.sync()


def tick_run(run_id: int) -> None:
    services = _services()
    if not services.gate.closed:
        services.due_runs.handle(run_id, lambda run_ids: tick_runs(services, run_ids))


def purge_expired_content() -> None:
    purge_expired(_services())
