"""Progress reporting and cancellation for long core jobs.

Import, data generation, training and evaluation take a ``Progress`` and call
``advance``/``check_cancelled`` in their loops. A GUI thread reads ``snapshot`` on a
timer and calls ``cancel``; the job then raises ``Cancelled`` at its next check.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from core.errors import Cancelled


@dataclass(frozen=True)
class ProgressSnapshot:
    """A consistent copy of a job's progress at one moment."""

    stage: str
    done: int
    total: int  # 0 when unknown
    elapsed_s: float
    remaining_s: float | None  # estimate from the rate so far; None when unknown


class Progress:
    """Thread-safe progress counter with a cancel flag."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._stage = ""
        self._done = 0
        self._total = 0
        self._started = time.monotonic()
        self._stage_started = self._started

    def start_stage(self, stage: str, total: int = 0) -> None:
        """Begin a named stage (English, for logs; the GUI maps it to Chinese)."""
        with self._lock:
            self._stage = stage
            self._done = 0
            self._total = total
            self._stage_started = time.monotonic()
        self.check_cancelled()

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self._done += count
        self.check_cancelled()

    def set_done(self, done: int, total: int | None = None) -> None:
        with self._lock:
            self._done = done
            if total is not None:
                self._total = total
        self.check_cancelled()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise ``Cancelled`` once ``cancel`` has been called."""
        if self._cancel.is_set():
            raise Cancelled()

    def snapshot(self) -> ProgressSnapshot:
        with self._lock:
            now = time.monotonic()
            stage_elapsed = now - self._stage_started
            remaining = None
            if self._total and self._done:
                remaining = stage_elapsed / self._done * (self._total - self._done)
            return ProgressSnapshot(self._stage, self._done, self._total, now - self._started, remaining)


def check(progress: Progress | None) -> None:
    """Raise ``Cancelled`` if ``progress`` exists and was cancelled."""
    if progress is not None:
        progress.check_cancelled()
