"""Lookups on a dedicated thread that owns the engine and its SQLite connection.

A lookup takes milliseconds, but building the engine (loading indexes and the NER
model) takes longer, and a rare slow lookup must not freeze typing, so both run
here rather than on the GUI thread. Requests are numbered; the worker skips a
request when a newer one is already queued, so only the latest text is searched.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.engine import EngineInfo, OpenEngine, open_engine

logger = logging.getLogger(__name__)

SLOW_LOOKUP_MS = 200


class _Worker(QObject):
    loaded = Signal(object)  # EngineInfo
    load_failed = Signal(object)  # exception
    finished = Signal(int, object)  # request id, LookupResult
    failed = Signal(int, str, object)  # request id, text, exception
    aliases_reloaded = Signal()

    def __init__(self, latest: list[int], lock: threading.Lock) -> None:
        super().__init__()
        self._open: OpenEngine | None = None
        self._latest = latest
        self._lock = lock

    @Slot(object)
    def load(self, db_path: Path | None) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None
        try:
            self._open = open_engine(db_path)
        except Exception as error:  # noqa: BLE001 - reported to the window, which shows it
            logger.exception("lookup engine failed to load from %s", db_path)
            self.load_failed.emit(error)
            return
        self.loaded.emit(self._open.info)

    @Slot(int, str, int)
    def lookup(self, request_id: int, text: str, top: int) -> None:
        with self._lock:
            if request_id < self._latest[0]:
                return
        if self._open is None:
            return
        started = time.perf_counter()
        try:
            result = self._open.engine.lookup(text, top=top)
        except Exception as error:  # noqa: BLE001 - InvalidQueryError and friends go to the window
            self.failed.emit(request_id, text, error)
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms > SLOW_LOOKUP_MS:
            logger.warning("slow lookup: %.0f ms for %r", elapsed_ms, text)
        self.finished.emit(request_id, result)

    @Slot()
    def reload_aliases(self) -> None:
        if self._open is not None:
            self._open.engine.reload_aliases()
            self.aliases_reloaded.emit()

    @Slot()
    def shutdown(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None


class LookupService(QObject):
    """GUI-thread handle of the lookup thread.

    ``request(text)`` returns the request id; ``finished(id, result)`` arrives only
    for the latest request. ``reload()`` rebuilds the engine after the directory,
    the model or the settings changed.
    """

    loaded = Signal(object)  # EngineInfo
    load_failed = Signal(object)
    finished = Signal(int, object)
    failed = Signal(int, str, object)

    aliases_reloaded = Signal()

    _load = Signal(object)
    _lookup = Signal(int, str, int)
    _reload_aliases = Signal()
    _shutdown = Signal()

    def __init__(self, db_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.info: EngineInfo | None = None
        self._latest = [0]
        self._lock = threading.Lock()
        self._thread = QThread()
        self._thread.setObjectName("lookup")
        self._worker = _Worker(self._latest, self._lock)
        self._worker.moveToThread(self._thread)
        self._load.connect(self._worker.load)
        self._lookup.connect(self._worker.lookup)
        self._reload_aliases.connect(self._worker.reload_aliases)
        self._shutdown.connect(self._worker.shutdown)
        self._worker.aliases_reloaded.connect(self.aliases_reloaded)
        self._worker.loaded.connect(self._on_loaded)
        self._worker.load_failed.connect(self._on_load_failed)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    @property
    def ready(self) -> bool:
        return self.info is not None

    def reload(self) -> None:
        self._load.emit(self.db_path)

    def reload_aliases(self) -> None:
        """Reread the aliases table after a correction, an undo or an import; emits ``aliases_reloaded``."""
        self._reload_aliases.emit()

    def request(self, text: str, top: int = 10) -> int:
        with self._lock:
            self._latest[0] += 1
            request_id = self._latest[0]
        self._lookup.emit(request_id, text, top)
        return request_id

    def stop(self) -> None:
        """Close the engine and end the thread; call once when the window closes."""
        if not self._thread.isRunning():
            return
        self._shutdown.emit()
        self._thread.quit()
        self._thread.wait(5000)

    @Slot(object)
    def _on_loaded(self, info: EngineInfo) -> None:
        self.info = info
        self.loaded.emit(info)

    @Slot(object)
    def _on_load_failed(self, error: Any) -> None:
        self.info = None  # the worker closed the old engine before the failed load
        self.load_failed.emit(error)

    @Slot(int, object)
    def _on_finished(self, request_id: int, result: Any) -> None:
        if request_id == self._latest[0]:
            self.finished.emit(request_id, result)

    @Slot(int, str, object)
    def _on_failed(self, request_id: int, text: str, error: Any) -> None:
        if request_id == self._latest[0]:
            self.failed.emit(request_id, text, error)
