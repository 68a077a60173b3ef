"""数据 → 批量查询: pick a CSV/XLSX file and its branch-text column, write a result file."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.batch import BatchSummary, TablePreview, preview_table
from core.i18n import tr
from desktop.jobs import JobHost
from desktop.operations.batch import run_batch_file
from desktop.widgets import browse_row, error_html, start_button_box

logger = logging.getLogger(__name__)


def default_output_path(in_path: Path) -> Path:
    """``names.xlsx`` -> ``names-联行号.xlsx`` beside the input."""
    return in_path.with_name(in_path.stem + tr("gui.batch.output_suffix") + in_path.suffix)


class BatchDialog(QDialog):
    def __init__(self, parent: QWidget, host: JobHost, db_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("batchDialog")
        self.setWindowTitle(tr("gui.batch.title"))
        self.resize(760, 480)
        self._host = host
        self._db_path = db_path
        self.summary: BatchSummary | None = None
        self._preview: TablePreview | None = None

        self.in_edit = QLineEdit()
        self.in_edit.setObjectName("batchInput")
        self.in_edit.editingFinished.connect(lambda: self.load_file(Path(self.in_edit.text())))
        in_row = browse_row(self.in_edit, tr("gui.batch.browse"), self._browse_input)

        self.column_box = QComboBox()
        self.column_box.setObjectName("batchColumn")

        self.out_edit = QLineEdit()
        self.out_edit.setObjectName("batchOutput")
        out_row = browse_row(self.out_edit, tr("gui.batch.browse"), self._browse_output)

        form = QFormLayout()
        form.addRow(tr("gui.batch.input"), in_row)
        form.addRow(tr("gui.batch.column"), self.column_box)
        form.addRow(tr("gui.batch.output"), out_row)

        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.status_label = QLabel(tr("gui.batch.hint"))
        self.status_label.setObjectName("batchStatus")
        self.status_label.setWordWrap(True)

        self.buttons, self.start_button = start_button_box(
            tr("gui.batch.start"), "batchStart", self.start, self.reject
        )
        self.start_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

    def _browse_input(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("gui.batch.choose_input"), "", tr("gui.batch.file_filter")
        )
        if path:
            self.load_file(Path(path))

    def _browse_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("gui.batch.choose_output"), self.out_edit.text(), tr("gui.batch.file_filter")
        )
        if path:
            self.out_edit.setText(path)

    def load_file(self, path: Path) -> None:
        """Preview the file, fill the column choice and propose an output path."""
        self.start_button.setEnabled(False)
        if not path.is_file():
            self.status_label.setText(tr("gui.batch.hint"))
            return
        try:
            preview = preview_table(path)
        except Exception as error:  # noqa: BLE001 - shown in the dialog; the clerk picks another file
            self.status_label.setText(error_html(error))
            return
        self._preview = preview
        self.in_edit.setText(str(path))
        self.column_box.clear()
        self.column_box.addItems(preview.headers)
        self.column_box.setCurrentIndex(preview.guessed_column)
        if not self.out_edit.text():
            self.out_edit.setText(str(default_output_path(path)))
        self.preview.clear()
        self.preview.setColumnCount(len(preview.headers))
        self.preview.setRowCount(len(preview.rows))
        self.preview.setHorizontalHeaderLabels(preview.headers)
        for row_index, row in enumerate(preview.rows):
            for column, value in enumerate(row[: len(preview.headers)]):
                self.preview.setItem(row_index, column, QTableWidgetItem(value))
        self.status_label.setText(tr("gui.batch.ready"))
        self.start_button.setEnabled(True)

    def start(self) -> None:
        out_text = self.out_edit.text().strip()
        if not out_text:
            self.status_label.setText(tr("gui.batch.no_output"))
            return
        self.start_button.setEnabled(False)
        self.status_label.setText(tr("gui.batch.running"))
        job = run_batch_file(
            self,
            self._host,
            self._db_path,
            Path(self.in_edit.text()),
            self.column_box.currentIndex(),
            Path(out_text),
            self._finished,
        )
        job.failure(self._failed)

    def _finished(self, summary: BatchSummary) -> None:
        self.summary = summary
        self.status_label.setText(
            tr(
                "gui.batch.done",
                rows=summary.rows,
                answered=summary.answered,
                unanswered=summary.unanswered,
                invalid=summary.invalid,
                seconds=summary.elapsed_s,
                path=str(summary.out_path),
            )
        )
        self.start_button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self.status_label.setText(error_html(error))
        self.start_button.setEnabled(True)
