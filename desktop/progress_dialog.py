"""The progress window of a background job, and the Chinese text of core's progress stages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from core.i18n import has, tr
from core.jobs import ProgressSnapshot


def stage_text(stage: str) -> str:
    """Return the Chinese name of a core progress stage (English in core, for logs)."""
    key = f"gui.stage.{stage.replace(' ', '_')}"
    return tr(key) if has(key) else stage


def format_seconds(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return tr("gui.progress.seconds", seconds=seconds)
    return tr("gui.progress.minutes", minutes=seconds // 60, seconds=seconds % 60)


class ProgressDialog(QDialog):
    """Non-modal progress window with stage, count, remaining time and a cancel button."""

    def __init__(self, parent: QWidget, title: str, on_cancel: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle(title)
        self.setModal(False)
        self._stage = QLabel(tr("gui.progress.starting"))
        self._bar = QProgressBar()
        self._bar.setMinimumWidth(360)
        self._remaining = QLabel("")
        self._cancel = QPushButton(tr("gui.progress.cancel"))
        self._cancel.clicked.connect(on_cancel)
        self._cancel.clicked.connect(lambda: self._cancel.setEnabled(False))

        buttons = QHBoxLayout()
        buttons.addWidget(self._remaining, 1)
        buttons.addWidget(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self._stage)
        layout.addWidget(self._bar)
        layout.addLayout(buttons)

    def update_from(self, snapshot: ProgressSnapshot, cancelling: bool) -> None:
        self._stage.setText(stage_text(snapshot.stage) if snapshot.stage else tr("gui.progress.starting"))
        if snapshot.total:
            self._bar.setRange(0, snapshot.total)
            self._bar.setValue(min(snapshot.done, snapshot.total))
        else:
            self._bar.setRange(0, 0)  # a busy indicator while the total is unknown
        if cancelling:
            self._remaining.setText(tr("gui.progress.cancelling"))
        elif snapshot.remaining_s is not None:
            self._remaining.setText(tr("gui.progress.remaining", time=format_seconds(snapshot.remaining_s)))
        else:
            self._remaining.setText(tr("gui.progress.elapsed", time=format_seconds(snapshot.elapsed_s)))

    def reject(self) -> None:
        # Esc or the close box cancels the job like the button; the dialog closes when the job ends.
        self._cancel.click()
