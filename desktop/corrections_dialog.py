"""The corrections window: every correction in a table, with undo, export and import."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import BankcodeError
from core.i18n import tr
from desktop.jobs import present_error
from desktop.widgets import button_box, localize_buttons

logger = logging.getLogger(__name__)

COLUMNS = ("at", "query", "chosen", "name", "previous", "status", "source")


class CorrectionsDialog(QDialog):
    """Lists the corrections of one directory database, newest first.

    Undo, export and import run on the GUI thread with the dialog's own connection,
    because each touches a few rows. ``on_aliases_changed`` is called after an undo or
    an import, so the lookup engine rereads its aliases.
    """

    def __init__(
        self,
        parent: QWidget | None,
        db_path: Path | None,
        on_aliases_changed: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        from core.store import open_directory

        self.setObjectName("correctionsDialog")
        self.setWindowTitle(tr("feedback.corrections_title"))
        self.resize(900, 480)
        self._directory = open_directory(db_path)
        self._on_aliases_changed = on_aliases_changed
        self._rows: list = []

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("correctionsTable")
        self.table.setHorizontalHeaderLabels([tr(f"feedback.column_{name}") for name in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_label = QLabel(tr("feedback.corrections_empty"))
        self.show_undone = QCheckBox(tr("feedback.show_undone"))
        self.show_undone.toggled.connect(self.refresh)

        self.undo_button = QPushButton(tr("feedback.button_undo"))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.clicked.connect(self.undo_selected)
        export_button = QPushButton(tr("feedback.button_export"))
        export_button.clicked.connect(self._choose_export)
        import_button = QPushButton(tr("feedback.button_import"))
        import_button.clicked.connect(self._choose_import)
        close = button_box(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        buttons = QHBoxLayout()
        for widget in (self.undo_button, export_button, import_button, self.show_undone):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        from core.feedback import list_corrections

        self._rows = list_corrections(self._directory, include_undone=self.show_undone.isChecked())
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            values = (
                row.at,
                row.query,
                row.chosen_code,
                row.chosen_name or tr("feedback.name_missing"),
                row.previous_code or "-",
                tr(f"feedback.status_{row.status}"),
                tr(f"feedback.source_{row.source}"),
            )
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.empty_label.setVisible(not self._rows)
        self.undo_button.setEnabled(bool(self._rows))

    def undo_selected(self) -> None:
        """Undo the corrections of the selected rows and drop their aliases."""
        from core.feedback import undo_correction

        selected = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not selected:
            return
        changed = False
        try:
            for row in selected:
                changed = undo_correction(self._directory, self._rows[row].id) or changed
        except BankcodeError as error:
            present_error(self, error)
        if not changed:
            self._inform(tr("feedback.undo_failed"))
        self.refresh()
        self._on_aliases_changed()

    def export_to(self, path: Path) -> int:
        from core.feedback.share import export_corrections

        count = export_corrections(self._directory, path)
        self._inform(tr("feedback.exported", count=count, path=str(path)))
        return count

    def import_from(self, path: Path) -> list[str]:
        """Import a corrections file and show what happened; return the lines shown."""
        from core.feedback.report_text import import_report_lines
        from core.feedback.share import import_corrections

        lines = import_report_lines(import_corrections(self._directory, path))
        self.refresh()
        self._on_aliases_changed()
        self._inform("\n".join(lines))
        return lines

    def _choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("feedback.button_export"), "", tr("feedback.export_filter")
        )
        if name:
            try:
                self.export_to(Path(name))
            except BankcodeError as error:
                present_error(self, error)

    def _choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("feedback.button_import"), "", tr("feedback.export_filter")
        )
        if name:
            try:
                self.import_from(Path(name))
            except BankcodeError as error:
                present_error(self, error)

    def _inform(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, tr("feedback.corrections_title"), text, parent=self)
        localize_buttons(box)
        box.open()

    def done(self, result: int) -> None:
        self._directory.close()
        super().done(result)
