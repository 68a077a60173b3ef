"""The one background-job mechanism of the desktop app.

A menu action calls a function in ``desktop/operations/``, which builds a ``Job``
around one core call and starts it::

    Job(parent, host, work, title=tr("gui.job.import")).success(show_summary).run()

``work`` runs on a ``QThreadPool`` worker with a fresh ``core.jobs.Progress``. It opens
its own SQLite connection, because a connection belongs to the thread that made it,
and it never touches a widget. The GUI thread polls ``Progress.snapshot`` on a timer and
shows a non-modal progress dialog only after ``SHOW_AFTER_MS``, so quick jobs do not
flash and lookups keep working meanwhile. A result, an error and a cancel come back
to the GUI thread through a queued signal. Errors go to ``present_error``; a
``Cancelled`` is silent. A successful job returns (or carries) ``Changes`` that the
job sends to ``JobHost.changed``, so every view refreshes from that one signal.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
)

from core.errors import Cancelled
from core.i18n import describe_error, tr
from core.jobs import Progress, ProgressSnapshot
from desktop.progress_dialog import ProgressDialog
from desktop.widgets import localize_buttons

logger = logging.getLogger(__name__)

T = TypeVar("T")

SHOW_AFTER_MS = 500
POLL_MS = 100


@dataclass(frozen=True)
class Changes:
    """The parts of the app's state that a finished job changed; views reload each part that is set."""

    directory: bool = False
    model: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.directory or other.directory,
            self.model or other.model,
            self.settings or other.settings,
        )

    def any(self) -> bool:
        return self.directory or self.model or self.settings


class JobHost(QObject):
    """The signals jobs share: what changed, and whether a job is running.

    One host is made per main window and passed to each operation, so there is no
    application-wide global. ``busy_changed`` lets windows disable job actions while
    a job runs (two writers on one directory would wait on each other's locks).
    """

    changed = Signal(object)  # Changes
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self._running: set[Job[Any]] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def _started(self, job: Job[Any]) -> None:
        self._running.add(job)
        if len(self._running) == 1:
            self.busy_changed.emit(True)

    def _finished(self, job: Job[Any]) -> None:
        self._running.discard(job)
        if not self._running:
            self.busy_changed.emit(False)

    def wait_for_done(self, msecs: int = -1) -> bool:
        """Block until every worker has returned; for shutdown and tests."""
        return self.pool.waitForDone(msecs)


class _Bridge(QObject):
    """Lives in the GUI thread; the worker's signals are therefore queued to it."""

    finished = Signal(object, object)  # result, error


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[Progress], Any], progress: Progress, bridge: _Bridge) -> None:
        super().__init__()
        self._work = work
        self._progress = progress
        self._bridge = bridge
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._work(self._progress)
        except BaseException as error:  # noqa: BLE001 - every failure goes to the presenter
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._bridge.finished.emit(None, error)
        else:
            self._bridge.finished.emit(result, None)


class Job(Generic[T]):
    """A core call on a worker thread, with handlers set builder-style.

    ``changes`` is what the job reports on success; when ``work`` returns a
    ``Changes`` object, that one is used instead.
    """

    def __init__(
        self,
        parent: QWidget,
        host: JobHost,
        work: Callable[[Progress], T],
        *,
        title: str,
        changes: Changes | None = None,
    ) -> None:
        self._parent = parent
        self._host = host
        self._work = work
        self._title = title
        self._changes = changes or Changes()
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[ProgressSnapshot], None] | None = None
        self._show_progress = True
        self.progress = Progress()
        self._dialog: ProgressDialog | None = None
        self._timer = QTimer()
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._on_finished)
        self._elapsed_ms = 0

    def success(self, handler: Callable[[T], None]) -> Job[T]:
        self._on_success = handler
        return self

    def failure(self, handler: Callable[[BaseException], None]) -> Job[T]:
        """Handle an error instead of the presenter (a ``Cancelled`` never reaches it)."""
        self._on_failure = handler
        return self

    def on_progress(self, handler: Callable[[ProgressSnapshot], None]) -> Job[T]:
        self._on_progress = handler
        return self

    def without_progress_dialog(self) -> Job[T]:
        self._show_progress = False
        return self

    def run(self) -> Job[T]:
        logger.info("job started: %s", self._title)
        self._host._started(self)
        self._timer.start()
        self._host.pool.start(_Runnable(self._work, self.progress, self._bridge))
        return self

    def cancel(self) -> None:
        self.progress.cancel()

    def _poll(self) -> None:
        self._elapsed_ms += POLL_MS
        snapshot = self.progress.snapshot()
        if self._on_progress is not None:
            self._on_progress(snapshot)
        if self._show_progress and self._dialog is None and self._elapsed_ms >= SHOW_AFTER_MS:
            self._dialog = ProgressDialog(self._parent, self._title, self.cancel)
            self._dialog.show()
        if self._dialog is not None:
            self._dialog.update_from(snapshot, self.progress.cancelled)

    @Slot(object, object)
    def _on_finished(self, result: Any, error: BaseException | None) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self._host._finished(self)
        if error is not None:
            self._handle_error(error)
            return
        logger.info("job finished: %s", self._title)
        changes = result if isinstance(result, Changes) else self._changes
        if self._on_success is not None:
            self._on_success(result)
        if changes.any():
            self._host.changed.emit(changes)

    def _handle_error(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            logger.info("job cancelled: %s", self._title)
            return
        detail = getattr(error, "__traceback_text__", "")
        logger.error("job failed: %s: %s\n%s", self._title, error, detail)
        if self._on_failure is not None:
            self._on_failure(error)
        else:
            present_error(self._parent, error, title=self._title)


def present_error(parent: QWidget | None, error: BaseException, *, title: str = "") -> QMessageBox | None:
    """Show one error as a Chinese message box; a ``Cancelled`` shows nothing.

    The box is opened window-modal without blocking (``open``, not ``exec``), so a
    job's other signals and the offscreen tests keep running.
    """
    if isinstance(error, Cancelled):
        return None
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or tr("gui.error.title"))
    box.setText(describe_error(error))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("errorBox")
    localize_buttons(box)
    box.open()
    return box
