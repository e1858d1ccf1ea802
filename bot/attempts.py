"""The one attempts rule, for every kind of job: which tries count, and marking them on disk.

A try counts against its job when it fails with an unexpected error, or when the process dies
during it without being asked to stop (the job's record is marked `running` as the try
begins, so a start that finds the mark knows). A try cut short by a stop that was asked for
(a signal) does not count: `stopping` takes the mark off every try in progress. Nor does a
failure that is not the job's (a full disk, a server that fails): it is tried again later.
After MAX_ATTEMPTS counted tries a job is given up and its author told, so a job that kills
the process is not tried for ever.

The mark and the count are written onto the record as it is on disk at that moment, never
the rest of it: a record replaced during the try (an edit that adds links to a job still
filing) keeps what replaced it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace

from bot import jobs
from bot.jobs import Job
from notes.errors import explain
from notes.kb import KnowledgeBase

MAX_ATTEMPTS = 3
"""Counted tries allowed per job, whatever its kind: a try that failed with an unexpected error,
or during which the process died without being asked to stop. A try a stop cut short does not
count. A job that kills the process is not retried for ever."""

log = logging.getLogger(__name__)


def given_up(job: Job) -> bool:
    """The job has failed MAX_ATTEMPTS times: its author is told, it is tried no more."""
    return job.attempts >= MAX_ATTEMPTS


class Attempts:
    """The tries in progress of one KB, marked on their records; thread-safe (tries run on
    worker threads, `stopping` comes from the event loop)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.stop_requested = False
        self._lock = threading.Lock()
        self._trying: dict[str, Job] = {}

    def begin(self, job: Job) -> Job:
        """Mark a try of `job` as running (unless a stop was asked for) and return it so."""
        with self._lock:
            marked = replace(job, running=not self.stop_requested)
            self._trying[job.key] = marked
            return self._write(marked, marked)

    def stopping(self) -> None:
        """A stop was asked for: if the process dies during the tries in progress, that is not
        their jobs' fault, so they are no longer marked running."""
        with self._lock:
            self.stop_requested = True
            for key, job in list(self._trying.items()):
                if job.running:
                    self._trying[key] = self._write(job, replace(job, running=False))

    def ended(self, job: Job) -> Job:
        """The try ended without counting (filed, or not the job's fault): the mark goes."""
        with self._lock:
            self._trying.pop(job.key, None)
            return self._write(job, replace(job, running=False))

    def failed(self, job: Job) -> Job:
        """The try failed with an unexpected error: it counts, and the mark goes."""
        with self._lock:
            self._trying.pop(job.key, None)
            return self._write(job, job.failed_once())

    def left(self, job: Job) -> None:
        """The try is no longer followed (its record was removed, or a stop ended it)."""
        with self._lock:
            self._trying.pop(job.key, None)

    def _write(self, job: Job, changed: Job) -> Job:
        """Put `changed`'s count and mark on the record as saved now (else on `job`) and
        return `job` with them; a disk that fails here leaves the previous state, logged."""
        attempts, running = changed.attempts, changed.running
        current = jobs.saved(self.kb, job) or job
        try:
            jobs.save(self.kb, replace(current, attempts=attempts, running=running))
        except OSError as error:
            what = jobs.store(job).what
            log.warning("%s of %s not updated: %s", what, job.key, explain(error, named=True))
        return replace(job, attempts=attempts, running=running)
