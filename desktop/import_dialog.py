"""数据 → 导入行号文件: preview a directory file, import it as a job, show the difference."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import ImportFileError
from core.i18n import tr
from desktop.import_text import column_labels, outcome_summary, preview_summary
from desktop.jobs import JobHost
from desktop.operations.directory import ImportOutcome, import_directory_file
from desktop.widgets import browse_row, button_box, error_html, localize_buttons, start_button_box

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 20
# A replace that would remove more than this share of the branches asks first. The
# CLI uses the same share; the embedded demo directory is exempt (core.store).
REPLACE_CONFIRM_SHARE = 0.5
FILE_FILTER_KEY = "gui.import.file_filter"


class ImportDialog(QDialog):
    """Two pages: the file with its preview and the mode, then the import's difference."""

    def __init__(self, parent: QWidget, host: JobHost, db_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(tr("gui.import.title"))
        self.resize(860, 560)
        self._host = host
        self._db_path = db_path
        self.outcome: ImportOutcome | None = None

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_preview_page())
        self.pages.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # --- page 1: file and preview -------------------------------------------

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(tr("gui.import.path_placeholder"))
        self.path_edit.editingFinished.connect(lambda: self.load_preview(Path(self.path_edit.text())))
        path_row = browse_row(self.path_edit, tr("gui.import.browse"), self._browse)

        self.info_label = QLabel(tr("gui.import.no_file"))
        self.info_label.setObjectName("importInfo")
        self.info_label.setWordWrap(True)
        self.preview_table = QTableWidget()
        self.preview_table.setObjectName("importPreview")
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_table.verticalHeader().setToolTip(tr("gui.import.line_numbers_tip"))

        self.replace_button = QRadioButton(tr("gui.import.mode_replace"))
        self.replace_button.setToolTip(tr("gui.import.mode_replace_tip"))
        self.merge_button = QRadioButton(tr("gui.import.mode_merge"))
        self.merge_button.setToolTip(tr("gui.import.mode_merge_tip"))
        # Replace by default, as `bankcode import` does, so the removals of a new full
        # directory are recorded the same way from both. A large removal still needs confirming.
        self.replace_button.setChecked(True)
        modes = QButtonGroup(page)
        modes.addButton(self.replace_button)
        modes.addButton(self.merge_button)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel(tr("gui.import.mode")))
        mode_row.addWidget(self.replace_button)
        mode_row.addWidget(self.merge_button)
        mode_row.addStretch(1)

        self.buttons, self.start_button = start_button_box(
            tr("gui.import.start"),
            "importStart",
            self.start_import,
            self.reject,
            close=QDialogButtonBox.StandardButton.Cancel,
        )
        self.start_button.setEnabled(False)

        layout = QVBoxLayout(page)
        layout.addLayout(path_row)
        layout.addWidget(self.info_label)
        layout.addWidget(self.preview_table, 1)
        layout.addLayout(mode_row)
        layout.addWidget(self.buttons)
        return page

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("gui.import.choose"), "", tr(FILE_FILTER_KEY))
        if path:
            self.path_edit.setText(path)
            self.load_preview(Path(path))

    def load_preview(self, path: Path) -> None:
        """Show the file's format, encoding, detected columns and first rows."""
        from core.importers import preview_file

        self.start_button.setEnabled(False)
        if not str(path).strip() or not path.is_file():
            self.info_label.setText(tr("gui.import.no_file"))
            return
        try:
            preview = preview_file(path, rows=PREVIEW_ROWS)
        except Exception as error:  # noqa: BLE001 - shown in the dialog; the clerk picks another file
            logger.warning("preview of %s failed: %s", path, error)
            self.info_label.setText(error_html(error))
            self.preview_table.clear()
            self.preview_table.setRowCount(0)
            return
        self.path_edit.setText(str(path))
        self.info_label.setText(preview_summary(preview))
        self._fill_preview(preview)
        self.start_button.setEnabled(True)

    def _fill_preview(self, preview: Any) -> None:
        rows = [list(row) for row in preview.rows]
        width = max([len(row) for row in rows] + [len(preview.header or [])])
        self.preview_table.clear()
        self.preview_table.setColumnCount(width)
        self.preview_table.setRowCount(len(rows))
        labels = column_labels(preview, width)
        self.preview_table.setHorizontalHeaderLabels(labels)
        # File line numbers, so that a row here and a skipped-row message name the same line.
        line_numbers = getattr(preview, "line_numbers", ())
        if len(line_numbers) == len(rows):
            self.preview_table.setVerticalHeaderLabels([str(number) for number in line_numbers])
        for row_index, row in enumerate(rows):
            for column, value in enumerate(row):
                self.preview_table.setItem(
                    row_index, column, QTableWidgetItem("" if value is None else str(value))
                )
        self.preview_table.resizeColumnsToContents()

    # --- the job -------------------------------------------------------------

    def mode(self) -> str:
        return "replace" if self.replace_button.isChecked() else "merge"

    def start_import(self, confirmed: bool = False) -> None:
        """Start the import job; an unconfirmed replace stops short of removing most branches."""
        self.start_button.setEnabled(False)
        self.info_label.setText(tr("gui.import.running"))
        guarded = self.mode() == "replace" and not confirmed
        job = import_directory_file(
            self,
            self._host,
            self._db_path,
            Path(self.path_edit.text()),
            self.mode(),
            self._show_outcome,
            max_removed_share=REPLACE_CONFIRM_SHARE if guarded else None,
        )
        job.failure(self._show_failure)

    def _show_failure(self, error: BaseException) -> None:
        if isinstance(error, ImportFileError) and error.params.get("key") == "store.error_large_removal":
            self._confirm_replace(error.params)
            return
        self.info_label.setText(error_html(error))
        self.start_button.setEnabled(True)

    def _confirm_replace(self, params: dict[str, Any]) -> None:
        """Ask before a replace that removes more than half the branches; nothing is written yet."""
        self.info_label.setText(tr("gui.import.replace_waiting"))
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("gui.import.confirm_replace_title"),
            tr(
                "gui.import.confirm_replace",
                file=params["file"],
                rows=params["rows"],
                removed=params["removed"],
                total=params["total"],
            ),
            parent=self,
        )
        box.setObjectName("importConfirmReplace")
        self.replace_anyway_button = box.addButton(
            tr("gui.import.confirm_replace_button"), QMessageBox.ButtonRole.DestructiveRole
        )
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        localize_buttons(box)
        box.setDefaultButton(cancel)
        box.buttonClicked.connect(self._on_replace_answer)
        self.confirm_box = box
        box.open()

    def _on_replace_answer(self, button: Any) -> None:
        if button is self.replace_anyway_button:
            self.start_import(confirmed=True)
            return
        self.info_label.setText(tr("gui.import.replace_declined"))
        self.start_button.setEnabled(True)

    # --- page 2: the difference -----------------------------------------------

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        self.changes_table = QTableWidget(0, 4)
        self.changes_table.setObjectName("importChanges")
        self.changes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes_table.setHorizontalHeaderLabels(
            [
                tr("gui.import.col_change"),
                tr("gui.import.col_code"),
                tr("gui.import.col_old"),
                tr("gui.import.col_new"),
            ]
        )
        # Sized by resize mode, not by contents, so an empty table keeps readable columns.
        header = self.changes_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.changes_title = QLabel(tr("gui.import.changes_title"))
        self.no_changes_label = QLabel(tr("gui.import.no_changes"))
        self.no_changes_label.setObjectName("importNoChanges")
        self.no_changes_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.changes_stack = QStackedWidget()
        self.changes_stack.addWidget(self.changes_table)
        self.changes_stack.addWidget(self.no_changes_label)
        close = button_box(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.changes_title)
        layout.addWidget(self.changes_stack, 1)
        layout.addWidget(close)
        return page

    def _show_outcome(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        self.summary_label.setText(outcome_summary(outcome))
        self.changes_table.setRowCount(len(outcome.changes))
        for row, change in enumerate(outcome.changes):
            values = [
                tr(f"gui.import.change_{change['change']}"),
                change["cnaps_code"],
                change.get("old_name") or "",
                change.get("new_name") or "",
            ]
            for column, value in enumerate(values):
                self.changes_table.setItem(row, column, QTableWidgetItem(value))
        has_changes = bool(outcome.changes)
        self.changes_title.setVisible(has_changes)
        self.changes_stack.setCurrentWidget(self.changes_table if has_changes else self.no_changes_label)
        self.pages.setCurrentIndex(1)
