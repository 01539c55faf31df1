"""The reminder scheduler: APScheduler timing, the database as the source of truth.

Every pending reminder is a row in `reminders`, and every running case a row in `case_runs`;
APScheduler holds one date job per pending reminder (id `reminder:<id>`) and per running case
(id `run:<id>`) in memory, and a `reconcile` job rebuilds them from the rows at start and brings
them in line every minute, for anything a notification missed. Only the process that leads
(see `bot.leadership`) runs jobs; the others tell it when they change a timer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, timedelta

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from bot.leadership import Leadership
from bot.metrics import Metrics
from bot.slack import SlackGate
from storage.installation import is_revoked
from storage.meetings import pending_reminders
from usecases.clock import Clock
from usecases.services import Timer

logger = logging.getLogger(__name__)
REMINDER_JOB = "bot.jobs:send_reminder"
RUN_JOB = "bot.jobs:tick_run"
RECONCILE_JOB = "bot.jobs:reconcile_reminders"
RETENTION_JOB = "bot.jobs:purge_expired_content"
RETENTION_EVERY = timedelta(hours=1)
PANELS_JOB = "bot.jobs:post_missing_panels"
REVIEWS_JOB = "bot.jobs:send_year_reviews"
REVIEWS_EVERY = timedelta(hours=1)
MISFIRE_GRACE_SECONDS = 5 * 60
# A standby tries for the lead this often; the leader checks this often whether it must stop.
STANDBY_SECONDS = 0.5
LOST_BACKOFF_SECONDS = 4 * STANDBY_SECONDS
EVERYTHING = "all"


def reminder_job_id(reminder_id: int) -> str:
    return f"reminder:{reminder_id}"


class ReminderScheduler:
    def __init__(
        self,
        db: sessionmaker[Session],
        clock: Clock,
        gate: SlackGate,
        leadership: Leadership,
        metrics: Metrics,
        *,
        reconcile_every: float = 60.0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._gate = gate
        self._leadership = leadership
        self._reconcile_every = reconcile_every
        self._metrics = metrics
        metrics.watch_scheduler(lambda: self._leading, self.timers_held)
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
        self._lock = threading.Lock()  # leading or not
        self._jobs_lock = threading.Lock()  # reading the database and changing the jobs
        self._timers: Callable[[], dict[int, Timer]] = dict
        self._timer_of: Callable[[int], Timer | None] = lambda _run_id: None

    def _job_failed(self, event: JobExecutionEvent) -> None:
        """A failed job never stops the scheduler. Reminders and case timers stay pending in the
        database, so the reconcile job tries them again within a minute, until a reminder is
        too late to help (then it is skipped) or the case ends."""
        logger.error(
            "job %s failed with %s; it is retried from the database within a minute",
            event.job_id,
            type(event.exception).__name__,
        )

    def watch_runs(
        self,
        timers: Callable[[], dict[int, Timer]],
        timer_of: Callable[[int], Timer | None],
    ) -> None:
        """Also keep one job per running case, at the moment it next needs the bot: `timers`
        gives every case's workspace and moment, `timer_of` one case's."""
        self._timers = timers
        self._timer_of = timer_of

    @property
    def leading(self) -> bool:
        return self._leading

    def timers_held(self) -> int:
        """The jobs this process's scheduler holds (none unless it leads)."""
        return len(self._scheduler.get_jobs()) if self._leading else 0

    def start(self) -> None:
        """Compete for the lead in the background; the leader runs the jobs."""
        self._thread = threading.Thread(target=self._loop, name="scheduler", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._leadership.acquire():
                self._stop.wait(STANDBY_SECONDS)
                continue
            self._stop.wait(self._leadership.grace)
            with self._lock:
                if self._stop.is_set():
                    break  # stopping: the lock taken just now is given up below
                self._lead()
            self._follow_changes()
            # Lost the lead: a standby that still reaches the database takes over first.
            self._stop.wait(LOST_BACKOFF_SECONDS)
        self._leadership.release()

    def _follow_changes(self) -> None:
        """While leading: act on the changes other processes tell, until the lead is lost or
        the process stops. Quiet when nothing changes: no query, no log line."""
        while not self._stop.is_set():
            changes = self._leadership.listen(STANDBY_SECONDS)
            if changes is None:
                with self._lock:
                    logger.warning("this process no longer leads the scheduler; it stops its jobs")
                    self._scheduler.pause()
                    self._leading = False
                return
            if changes:
                self._apply(set(changes))

    def _apply(self, changes: set[str]) -> None:
        if EVERYTHING in changes:
            self._reconcile()
            return
        for change in changes:
            kind, _, number = change.partition(":")
            if kind == "run" and number.isdigit():
                self._set_run_job(int(number), self._timer_of(int(number)))

    def _lead(self) -> None:
        if self._scheduler.running:
            self._scheduler.resume()
        else:
            self._scheduler.start()
        self._leading = True
        self._metrics.takeovers.inc()
        self._scheduler.add_job(
            RECONCILE_JOB,
            "interval",
            seconds=self._reconcile_every,
            id="reconcile",
            replace_existing=True,
            next_run_time=self._clock(),
        )
        self._scheduler.add_job(
            RETENTION_JOB,
            "interval",
            seconds=RETENTION_EVERY.total_seconds(),
            id="retention",
            replace_existing=True,
            next_run_time=self._clock(),
        )
        self._scheduler.add_job(
            REVIEWS_JOB,
            "interval",
            seconds=REVIEWS_EVERY.total_seconds(),
            id="reviews",
            replace_existing=True,
            next_run_time=self._clock(),
        )
        self._scheduler.add_job(
            PANELS_JOB,
            "date",
            run_date=self._clock(),
            id="panels",
            replace_existing=True,
        )
        logger.info("this process runs the reminder scheduler (%s)", self._holder)

    def sync(self) -> None:
        """Bring the jobs in line with the database; a process that does not lead tells the
        leader instead."""
        if not self._leading:
            self._leadership.notify(self._db, EVERYTHING)
            return
        self._reconcile()

    def _reconcile(self) -> None:
        """Read what the database wants and apply it, under the jobs lock: two reconciles at
        once (the minute's job, a notice, a change in this process) would otherwise let the
        one that read first apply last, moving timers back to what they were."""
        with self._jobs_lock:
            self._reconcile_now()

    def _reconcile_now(self) -> None:
        if not self._leading:
            return
        self._metrics.reconciles.inc()
        now = self._clock()
        with self._db() as session:
            revoked = is_revoked(session)
            jobs = {
                reminder_job_id(r.id): (REMINDER_JOB, Timer(team_id, max(r.due_at, now)), r.id)
                for r, team_id in ([] if revoked else pending_reminders(session))
            }
        if revoked:
            # Uninstalled or tokens revoked: no job may call Slack for this workspace.
            self._gate.close()
        else:
            jobs.update(
                {
                    f"run:{run_id}": (RUN_JOB, Timer(timer.team_id, max(timer.at, now)), run_id)
                    for run_id, timer in self._timers().items()
                }
            )
        existing = {job.id: job for job in self._scheduler.get_jobs()}
        for job_id, job in existing.items():
            if job_id.startswith(("reminder:", "run:")) and job_id not in jobs:
                with contextlib.suppress(JobLookupError):  # it fired meanwhile
                    job.remove()
        for job_id, (function, timer, target_id) in jobs.items():
            job = existing.get(job_id)
            if job is not None and job.next_run_time == timer.at:
                continue
            self._add(job_id, function, timer, target_id)

    def _add(self, job_id: str, function: str, timer: Timer, target_id: int) -> None:
        """A job carries the workspace's team id (never a token) and the row's id."""
        self._scheduler.add_job(
            function,
            "date",
            run_date=timer.at,
            args=[timer.team_id, target_id],
            id=job_id,
            replace_existing=True,
            # A case's tick sets its next timer while it still runs; when that moment is already
            # due, APScheduler must not skip it as "running": it would be lost until reconcile.
            max_instances=3,
        )

    def sync_run(self, run_id: int, timer: Timer | None) -> None:
        """Just this case's timer, after it moved: cheaper than reconciling every timer."""
        if not self._leading:
            self._leadership.notify(self._db, f"run:{run_id}")
            return
        self._set_run_job(run_id, timer)

    def _set_run_job(self, run_id: int, timer: Timer | None) -> None:
        job_id = f"run:{run_id}"
        with self._jobs_lock:
            if timer is None:
                # A date job that fires meanwhile is gone by itself.
                with contextlib.suppress(JobLookupError):
                    self._scheduler.remove_job(job_id)
                return
            self._add(job_id, RUN_JOB, Timer(timer.team_id, max(timer.at, self._clock())), run_id)

    def stop(self) -> None:
        """Stop taking jobs and give up the lead. Jobs already running finish before the
        interpreter exits (their threads are joined then); waiting for them here instead would
        deadlock APScheduler when a running job adds a job during shutdown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            self._leading = False
            if self._scheduler.running:
                self._scheduler.shutdown(wait=False)
