"""The desktop job mechanism: success, failure, cancel and the delayed progress dialog."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from core.errors import Cancelled, DatabaseError
from core.jobs import Progress
from desktop.jobs import SHOW_AFTER_MS, Changes, Job, JobHost, present_error
from desktop.progress_dialog import ProgressDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def host_and_parent(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    host = JobHost(parent)
    yield host, parent
    host.wait_for_done(10_000)


def test_job_success_reports_changes(qtbot, host_and_parent):
    host, parent = host_and_parent
    results = []
    with qtbot.waitSignal(host.changed, timeout=5000) as changed:
        Job(parent, host, lambda progress: 42, title="t", changes=Changes(directory=True)).success(
            results.append
        ).run()
    assert results == [42]
    assert changed.args == [Changes(directory=True)]
    assert not host.busy


def test_job_returning_changes_overrides_default(qtbot, host_and_parent):
    host, parent = host_and_parent
    with qtbot.waitSignal(host.changed, timeout=5000) as changed:
        Job(parent, host, lambda progress: Changes(model=True), title="t").run()
    assert changed.args == [Changes(model=True)]


def test_job_failure_goes_to_handler(qtbot, host_and_parent):
    host, parent = host_and_parent
    errors = []

    def work(progress: Progress) -> None:
        raise DatabaseError("disk full at /tmp/x.sqlite; free space and retry")

    job = Job(parent, host, work, title="t").failure(errors.append).run()
    qtbot.waitUntil(lambda: not host.busy, timeout=5000)
    assert len(errors) == 1
    assert isinstance(errors[0], DatabaseError)
    assert job.progress.cancelled is False


def test_job_failure_without_handler_shows_message_box(qtbot, host_and_parent):
    host, parent = host_and_parent

    def work(progress: Progress) -> None:
        raise DatabaseError("disk full")

    Job(parent, host, work, title="t").run()
    qtbot.waitUntil(lambda: not host.busy, timeout=5000)
    boxes = parent.findChildren(QMessageBox, "errorBox")
    assert len(boxes) == 1
    assert "数据库错误" in boxes[0].text()


def test_cancelled_job_is_silent(qtbot, host_and_parent):
    host, parent = host_and_parent
    started = threading.Event()
    outcomes = []

    def work(progress: Progress) -> None:
        progress.start_stage("train", total=1000)
        started.set()
        while True:
            progress.advance(0)  # checks the cancel flag
            threading.Event().wait(0.01)

    job = Job(parent, host, work, title="t").success(outcomes.append).failure(outcomes.append).run()
    started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: not host.busy, timeout=5000)
    assert outcomes == []
    assert parent.findChildren(QMessageBox, "errorBox") == []


def test_progress_dialog_cancels_slow_job(qtbot, host_and_parent):
    host, parent = host_and_parent
    release = threading.Event()

    def work(progress: Progress) -> None:
        progress.start_stage("import", total=10)
        progress.advance(3)
        while not release.wait(0.02):
            progress.check_cancelled()

    job = Job(parent, host, work, title="t").run()
    assert parent.findChildren(ProgressDialog) == []  # not before SHOW_AFTER_MS
    qtbot.waitUntil(lambda: bool(parent.findChildren(ProgressDialog)), timeout=SHOW_AFTER_MS + 3000)
    dialog = parent.findChildren(ProgressDialog)[0]
    assert dialog.isVisible()
    dialog.reject()  # Esc: cancels like the button
    qtbot.waitUntil(lambda: not host.busy, timeout=5000)
    assert job.progress.cancelled
    release.set()


def test_quick_job_shows_no_progress_dialog(qtbot, host_and_parent):
    host, parent = host_and_parent
    Job(parent, host, lambda progress: None, title="t").run()
    qtbot.waitUntil(lambda: not host.busy, timeout=5000)
    assert parent.findChildren(ProgressDialog) == []


def test_present_error_ignores_cancel(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    assert present_error(parent, Cancelled()) is None
    box = present_error(parent, DatabaseError("locked"))
    assert box is not None
    assert "locked" in box.text()


def test_error_box_button_is_chinese(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    box = present_error(parent, DatabaseError("locked"))
    assert [button.text() for button in box.buttons()] == ["确定"]
