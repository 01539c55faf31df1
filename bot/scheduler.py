"""The reminder scheduler: APScheduler timing, the database as the source of truth.

Every pending reminder is a row in `reminders`, and every running case a row in `case_runs`;
APScheduler holds one date job per pending reminder (id `reminder:<id>`) and per running case
(id `run:<id>`) in memory, and a `reconcile` job rebuilds them from the rows at start and brings
them in line every minute. Only the process that holds the scheduler lease runs jobs, so two
processes never run the same jobs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.slack import SlackGate
from storage.installation import is_revoked
from storage.lease import acquire_lease, last_change, release_lease, signal_change
from storage.meetings import pending_reminders

logger = logging.getLogger(__name__)
LEASE = "reminders"
REMINDER_JOB = "bot.jobs:send_reminder"
RUN_JOB = "bot.jobs:tick_run"
RECONCILE_JOB = "bot.jobs:reconcile_reminders"
WATCH_JOB = "bot.jobs:watch_changes"
RETENTION_JOB = "bot.jobs:purge_expired_content"
RETENTION_EVERY = timedelta(hours=1)
WATCH_SECONDS = 1.0
MISFIRE_GRACE_SECONDS = 5 * 60


def reminder_job_id(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


class ReminderScheduler:
    def __init__(
        self,
        db: sessionmaker[Session],
        clock: Clock,
        gate: SlackGate,
        *,
        lease_ttl: timedelta = timedelta(seconds=60),
        reconcile_every: float = 60.0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._gate = gate
        self._lease_ttl = lease_ttl
        self._renew_every = lease_ttl.total_seconds() / 4
        self._reconcile_every = reconcile_every
        self._holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._scheduler = BackgroundScheduler(
            jobstores={"default": MemoryJobStore()},
            job_defaults={
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
                "coalesce": True,
                "max_instances": 1,
            },
            timezone=UTC,
        )
        self._scheduler.add_listener(self._job_failed, EVENT_JOB_ERROR)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._leading = False
        self._lock = threading.Lock()
        self._timers: Callable[[], dict[int, datetime]] = dict
        self._seen_change: datetime | None = None

    def _job_failed(self, event: JobExecutionEvent) -> None:
        """A failed job never stops the scheduler. Reminders and case timers stay pending in the
        database, so the reconcile job tries them again within a minute, until a reminder is
        too late to help (then it is skipped) or the case ends."""
        logger.error(
            "job %s failed with %s; it is retried from the database within a minute",
            event.job_id,
            type(event.exception).__name__,
        )

    def watch_runs(self, timers: Callable[[], dict[int, datetime]]) -> None:
        """Also keep one job per running case, at the moment it next needs the bot."""
        self._timers = timers

    @property
    def leading(self) -> bool:
        return self._leading

    def start(self) -> None:
        """Start competing for the lease; the holder runs the jobs."""
        self._thread = threading.Thread(
            target=self._lease_loop, name="scheduler-lease", daemon=True
        )
        self._thread.start()

    def _lease_loop(self) -> None:
        while not self._stop.is_set():
            self._tick()
            self._stop.wait(self._renew_every)

    def _tick(self) -> None:
        try:
            with self._db.begin() as session:
                held = acquire_lease(session, LEASE, self._holder, self._clock(), self._lease_ttl)
        except SQLAlchemyError:
            logger.warning("could not take or renew the scheduler lease", exc_info=True)
            held = False
        with self._lock:
            if self._stop.is_set():
                return  # stopping: a lease taken just now lapses, and nothing starts again
            if held and not self._leading:
                self._lead()
            elif not held and self._leading:
                logger.warning("scheduler lease lost; pausing the scheduler in this process")
                self._scheduler.pause()
                self._leading = False

    def _lead(self) -> None:
        if self._scheduler.running:
            self._scheduler.resume()
        else:
            self._scheduler.start()
        self._leading = True
        self._scheduler.add_job(
            RECONCILE_JOB,
            "interval",
            seconds=self._reconcile_every,
            id="reconcile",
            replace_existing=True,
            next_run_time=self._clock(),
        )
        self._scheduler.add_job(
            WATCH_JOB,
            "interval",
            seconds=WATCH_SECONDS,
            id="watch",
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )
        self._scheduler.add_job(
            RETENTION_JOB,
            "interval",
            seconds=RETENTION_EVERY.total_seconds(),
            id="retention",
            replace_existing=True,
            next_run_time=self._clock(),
        )
        logger.info("this process runs the reminder scheduler (%s)", self._holder)

    def sync(self) -> None:
        """Bring the jobs in line with the database. A process that does not run the scheduler
        leaves a signal instead, which the scheduler's process picks up within a second."""
        if not self._leading:
            try:
                with self._db.begin() as session:
                    signal_change(session, self._clock())
            except SQLAlchemyError:
                logger.warning("could not signal a timer change", exc_info=True)
            return
        self._reconcile()

    def watch(self) -> None:
        """In the scheduler's process: reconcile when another process signalled a change."""
        with self._db() as session:
            changed = last_change(session)
        if changed is not None and changed != self._seen_change:
            self._seen_change = changed
            self._reconcile()

    def _reconcile(self) -> None:
        if not self._leading:
            return
        now = self._clock()
        with self._db() as session:
            revoked = is_revoked(session)
            wanted = {
                reminder_job_id(r.id): (r.id, max(r.due_at, now))
                for r in ([] if revoked else pending_reminders(session))
            }
        jobs = {job_id: (REMINDER_JOB, rid, at) for job_id, (rid, at) in wanted.items()}
        if revoked:
            # Uninstalled or tokens revoked: no job may call Slack for this workspace.
            self._gate.close()
        else:
            jobs.update(
                {
                    f"run:{run_id}": (RUN_JOB, run_id, max(at, now))
                    for run_id, at in self._timers().items()
                }
            )
        existing = {job.id: job for job in self._scheduler.get_jobs()}
        for job_id, job in existing.items():
            if job_id.startswith(("reminder:", "run:")) and job_id not in jobs:
                job.remove()
        for job_id, (function, target_id, run_at) in jobs.items():
            job = existing.get(job_id)
            if job is not None and job.next_run_time == run_at:
                continue
            self._add(job_id, function, target_id, run_at)

    def _add(self, job_id: str, function: str, target_id: int, run_at: datetime) -> None:
        self._scheduler.add_job(
            function,
            "date",
            run_date=run_at,
            args=[target_id],
            id=job_id,
            replace_existing=True,
            # A case's tick sets its next timer while it still runs; when that moment is already
            # due, APScheduler must not skip it as "running": it would be lost until reconcile.
            max_instances=3,
        )

    def sync_run(self, run_id: int, moment: datetime | None) -> None:
        """Just this case's timer, after it moved: cheaper than reconciling every timer."""
        if not self._leading:
            self.sync()
            return
        job_id = f"run:{run_id}"
        if moment is None:
            if self._scheduler.get_job(job_id) is not None:
                self._scheduler.remove_job(job_id)
            return
        self._add(job_id, RUN_JOB, run_id, max(moment, self._clock()))

    def stop(self) -> None:
        """Stop taking jobs and give up the lease. Jobs already running finish before the
        interpreter exits (their threads are joined then); waiting for them here instead would
        deadlock APScheduler when a running job adds a job during shutdown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            self._leading = False
            if self._scheduler.running:
                self._scheduler.shutdown(wait=False)
            # Released even when not leading: a renewal may have taken it while stopping.
            try:
                with self._db.begin() as session:
                    release_lease(session, LEASE, self._holder)
            except SQLAlchemyError:
                logger.warning("could not give up the scheduler lease; it lapses by itself")
