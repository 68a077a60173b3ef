"""设置: the GGUF model file, CPU threads and the confidence threshold."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.i18n import tr
from core.lookup.engine import CONFIDENCE_THRESHOLD
from desktop.jobs import Changes, JobHost, present_error
from desktop.settings import AppSettings, read_settings, save_settings
from desktop.widgets import browse_row, button_box


class SettingsDialog(QDialog):
    """Edits ``AppSettings``; saving reloads the lookup engine through ``JobHost.changed``."""

    def __init__(self, parent: QWidget, host: JobHost, db_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("gui.settings.title"))
        self._host = host
        self._db_path = db_path
        current = read_settings(db_path)

        self.gguf_edit = QLineEdit(current.gguf_path)
        self.gguf_edit.setObjectName("settingsGguf")
        self.gguf_edit.setPlaceholderText(tr("gui.settings.gguf_default"))
        gguf_row = browse_row(self.gguf_edit, tr("gui.settings.browse"), self._browse)

        self.threads = QSpinBox()
        self.threads.setObjectName("settingsThreads")
        self.threads.setRange(0, os.cpu_count() or 64)
        self.threads.setSpecialValueText(tr("gui.settings.threads_auto"))
        self.threads.setValue(current.cpu_threads)

        self.custom_threshold = QCheckBox(tr("gui.settings.custom_threshold"))
        self.custom_threshold.setObjectName("settingsCustomThreshold")
        self.threshold = QDoubleSpinBox()
        self.threshold.setObjectName("settingsThreshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.01)
        self.threshold.setDecimals(3)
        self.custom_threshold.setChecked(current.confidence_threshold is not None)
        # Unticked, the greyed box shows the engine's calibrated default, which ticking starts from.
        self.threshold.setValue(
            current.confidence_threshold if current.confidence_threshold is not None else CONFIDENCE_THRESHOLD
        )
        self.threshold.setEnabled(self.custom_threshold.isChecked())
        self.custom_threshold.toggled.connect(self._on_custom_toggled)

        form = QFormLayout()
        form.addRow(tr("gui.settings.gguf"), gguf_row)
        form.addRow(tr("gui.settings.threads"), self.threads)
        form.addRow(self.custom_threshold, self.threshold)
        note = QLabel(tr("gui.settings.threshold_note"))
        note.setWordWrap(True)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)

        buttons = button_box(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _on_custom_toggled(self, checked: bool) -> None:
        self.threshold.setEnabled(checked)
        if not checked:
            self.threshold.setValue(CONFIDENCE_THRESHOLD)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("gui.settings.gguf"), self.gguf_edit.text(), tr("gui.settings.gguf_filter")
        )
        if path:
            self.gguf_edit.setText(path)

    def settings(self) -> AppSettings:
        return AppSettings(
            gguf_path=self.gguf_edit.text().strip(),
            cpu_threads=self.threads.value(),
            confidence_threshold=self.threshold.value() if self.custom_threshold.isChecked() else None,
        )

    def save(self) -> None:
        """Write the settings (a few rows, so on the GUI thread) and reload the engine."""
        from core.store import open_directory

        chosen = self.settings()
        if chosen.gguf_path and not Path(chosen.gguf_path).is_file():
            self.error_label.setText(tr("gui.settings.gguf_missing", path=chosen.gguf_path))
            return
        try:
            directory = open_directory(self._db_path)
            try:
                save_settings(directory.db, chosen)
            finally:
                directory.close()
        except Exception as error:  # noqa: BLE001 - a locked or read-only database is shown, the dialog stays open
            present_error(self, error, title=tr("gui.settings.title"))
            return
        self._host.changed.emit(Changes(settings=True))
        self.accept()
