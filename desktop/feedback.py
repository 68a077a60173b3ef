"""Log the lookups the clerk acts on and record corrections, off the GUI thread.

A lookup is logged once, when the clerk copies or confirms a result, picks another
candidate, or leaves the result on screen for ``PAUSE_MS``. Writes go to one
background thread with its own connection: while an import holds the database's
write lock, a write waits there instead of freezing the window.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.results import LookupResult

logger = logging.getLogger(__name__)

PAUSE_MS = 4000


class FeedbackRecorder(QObject):
    """Writes ``lookup_log`` and ``corrections`` rows for one window."""

    logged = Signal(int)  # lookup_log row id
    corrected = Signal(int)  # corrections row id
    # (query, code the text pointed to before, chosen code) when a correction replaced another.
    replaced = Signal(str, str, str)
    failed = Signal(object)  # exception

    def __init__(self, db_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_path = db_path
        self._executor: ThreadPoolExecutor | None = None
        self._directory: Any = None  # used only on the executor's one thread
        self._current: LookupResult | None = None
        self._last_logged: LookupResult | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(lambda: self._log_current())

    def set_pause_ms(self, milliseconds: int) -> None:
        """Change how long a shown result must stay on screen before it is logged."""
        self._pause.setInterval(milliseconds)

    def open(self) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feedback")

    def close(self) -> None:
        """Finish pending writes and close the connection."""
        self._pause.stop()
        if self._executor is None:
            return
        self._executor.submit(self._close_directory).result(timeout=30)
        self._executor.shutdown(wait=True)
        self._executor = None

    def track(self, result: LookupResult) -> None:
        """Start the pause timer for a newly shown result."""
        self._current = result
        self._pause.start()

    def leave_current(self) -> None:
        """Stop the pause timer because the clerk typed on, so the shown result is not logged."""
        self._pause.stop()
        self._current = None

    def acted(self, result: LookupResult) -> None:
        self._current = result
        self._log_current()

    def correct(self, result: LookupResult, chosen_code: str) -> None:
        """Log the lookup and record ``chosen_code`` as the right branch for its query."""
        self.acted(result)
        previous = result.answer.cnaps_code if result.answer else None
        self._submit(self._write_correction, result.query, chosen_code, previous, signal=self.corrected)

    def _log_current(self) -> None:
        result = self._current
        if result is None or result is self._last_logged:
            return
        self._last_logged = result
        self._submit(self._write_log, result, signal=self.logged)

    def _submit(self, function: Any, *args: Any, signal: Any) -> None:
        self.open()
        assert self._executor is not None
        future: Future[int] = self._executor.submit(function, *args)

        def done(finished: Future[int]) -> None:
            error = finished.exception()
            if error is not None:
                logger.error("feedback write failed: %s", error)
                self.failed.emit(error)
            else:
                signal.emit(finished.result())

        future.add_done_callback(done)

    def _connection(self) -> Any:
        if self._directory is None:
            from core.store import open_directory

            self._directory = open_directory(self._db_path)
        return self._directory

    def _write_log(self, result: LookupResult) -> int:
        from core.feedback import log_lookup

        return log_lookup(self._connection(), result)

    def _write_correction(self, query: str, chosen_code: str, previous: str | None) -> int:
        from core.feedback import apply_correction

        outcome = apply_correction(self._connection(), query, chosen_code, previous)
        if outcome.replaced_code:
            self.replaced.emit(query, outcome.replaced_code, chosen_code)
        return outcome.correction_id

    def _close_directory(self) -> None:
        if self._directory is not None:
            self._directory.close()
            self._directory = None
