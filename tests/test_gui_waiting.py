"""Waiting on the GUI thread while a worker thread runs Python code."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QTimer

from desktop.waiting import pause, wait_until

pytestmark = pytest.mark.gui


def test_wait_until_sees_timer_change(qtbot):
    flags = []
    QTimer.singleShot(50, lambda: flags.append(True))
    assert wait_until(lambda: bool(flags), 5_000)
    assert flags == [True]


def test_wait_until_times_out(qtbot):
    assert wait_until(lambda: False, 60) is False


def test_wait_until_lets_python_thread_finish(qtbot):
    done = threading.Event()

    def count() -> None:
        total = 0
        for number in range(2_000_000):
            total += number
        done.set()

    worker = threading.Thread(target=count)
    worker.start()
    assert wait_until(done.is_set, 60_000)
    worker.join()


def test_pause_runs_pending_timers(qtbot):
    fired = []
    QTimer.singleShot(0, lambda: fired.append(1))
    pause(30)
    assert fired == [1]
