"""Waiting on the GUI thread without starving the lookup thread.

``QTest.qWait`` and a ``processEvents`` busy loop keep Python's GIL while Qt
processes events (PySide6 6.11), so a worker thread that builds the lookup engine
runs only between polls. Offscreen on 2 busy shared cores, the main window's first
start on the demo directory took 30 s while the GUI thread polled ``lookups.ready``
with ``qWait(20)``, and 1.5 s with ``wait_until`` below (one run each).
``QEventLoop.exec`` releases the GIL while it waits, as ``QApplication.exec`` does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QTimer

POLL_MS = 20


def pause(msecs: int) -> None:
    """Process events for ``msecs`` milliseconds, letting other threads run."""
    loop = QEventLoop()
    QTimer.singleShot(msecs, loop.quit)
    loop.exec()


def wait_until(condition: Callable[[], bool], timeout_ms: int) -> bool:
    """Process events until ``condition()`` is true; return False if ``timeout_ms`` passes first."""
    for _ in range(max(timeout_ms // POLL_MS, 1)):
        if condition():
            return True
        pause(POLL_MS)
    return condition()
