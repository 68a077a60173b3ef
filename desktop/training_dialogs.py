"""训练 → 生成训练数据 and 训练 → 重新训练: option forms that start one job each."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.errors import BankcodeError
from core.i18n import tr
from core.paths import datasets_dir
from desktop.jobs import JobHost
from desktop.operations.training import generate_training_data, retrain_model
from desktop.settings import AppSettings, read_settings
from desktop.widgets import browse_row, error_html, fit_path_field, start_button_box

logger = logging.getLogger(__name__)


def latest_dataset(root: Path) -> Path | None:
    """Return the newest folder under ``root`` that contains a ``manifest.json``."""
    if not root.is_dir():
        return None
    folders = [path.parent for path in root.glob("*/manifest.json")]
    return max(folders, key=lambda path: path.stat().st_mtime, default=None)


def _folder_row(edit: QLineEdit, parent: QWidget, title: str) -> QHBoxLayout:
    def choose() -> None:
        path = QFileDialog.getExistingDirectory(parent, title, edit.text())
        if path:
            edit.setText(path)

    return browse_row(edit, tr("gui.training.browse"), choose)


class _OptionsDialog(QDialog):
    """An option form above a status line, with 关闭 and a start button that runs one job."""

    def _finish_layout(self, form: QFormLayout, area: str) -> None:
        """Add the status line and buttons below ``form``; ``area`` names the ``gui.AREA.*`` texts."""
        self.status_label = QLabel(tr(f"gui.{area}.hint"))
        self.status_label.setObjectName(f"{area}Status")
        self.status_label.setWordWrap(True)
        self.buttons, self.start_button = start_button_box(
            tr(f"gui.{area}.start"), f"{area}Start", self.start, self.reject
        )

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        raise NotImplementedError

    def _failed(self, error: BaseException) -> None:
        self.status_label.setText(error_html(error))
        self.start_button.setEnabled(True)


class GenerateDialog(_OptionsDialog):
    """Options of ``build_dataset``; the GGUF file and threads come from 设置."""

    def __init__(self, parent: QWidget, host: JobHost, db_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("generateDialog")
        self.setWindowTitle(tr("gui.generate.title"))
        self._host = host
        self._db_path = db_path
        self.manifest: Any = None

        self.per_branch = QSpinBox()
        self.per_branch.setRange(1, 50)
        self.per_branch.setValue(8)
        self.max_branches = QSpinBox()
        self.max_branches.setRange(0, 1_000_000)
        self.max_branches.setSpecialValueText(tr("gui.generate.all_branches"))
        self.use_llm = QCheckBox(tr("gui.generate.use_llm"))
        self.use_llm.setChecked(True)
        self.llm_branches = QSpinBox()
        self.llm_branches.setRange(0, 100_000)
        self.llm_branches.setValue(200)
        self.budget_minutes = QDoubleSpinBox()
        self.budget_minutes.setRange(0.5, 24 * 60)
        self.budget_minutes.setValue(10)
        self.budget_minutes.setSuffix(tr("gui.generate.minutes_suffix"))
        self.out_edit = QLineEdit(str(datasets_dir() / datetime.now().strftime("data-%Y%m%d-%H%M%S")))
        self.out_edit.setObjectName("generateOutput")
        fit_path_field(self.out_edit)

        form = QFormLayout()
        form.addRow(tr("gui.generate.per_branch"), self.per_branch)
        form.addRow(tr("gui.generate.max_branches"), self.max_branches)
        form.addRow("", self.use_llm)
        form.addRow(tr("gui.generate.llm_branches"), self.llm_branches)
        form.addRow(tr("gui.generate.budget"), self.budget_minutes)
        form.addRow(tr("gui.generate.output"), _folder_row(self.out_edit, self, tr("gui.generate.output")))
        self._finish_layout(form, "generate")

    def options(self, settings: AppSettings) -> Any:
        from core.augment.options import AugmentOptions, default_threads

        return AugmentOptions(
            per_branch=self.per_branch.value(),
            max_branches=self.max_branches.value() or None,
            use_llm=self.use_llm.isChecked(),
            llm_model_path=Path(settings.gguf_path) if settings.gguf_path else None,
            llm_branches=self.llm_branches.value(),
            llm_time_budget_s=self.budget_minutes.value() * 60,
            n_threads=settings.cpu_threads or default_threads(),
        )

    def start(self) -> None:
        try:
            options = self.options(read_settings(self._db_path))
        except (ValueError, BankcodeError) as error:  # invalid options or an unreadable database
            self.status_label.setText(error_html(error))
            return
        self.start_button.setEnabled(False)
        self.status_label.setText(tr("gui.generate.running"))
        job = generate_training_data(
            self, self._host, self._db_path, Path(self.out_edit.text()), options, self._done
        )
        job.failure(self._failed)

    def _done(self, manifest: Any) -> None:
        self.manifest = manifest
        self.status_label.setText(manifest_text(manifest))
        self.start_button.setEnabled(True)


def manifest_text(manifest: Any) -> str:
    """Summarize a ``core.augment.dataset.DatasetManifest`` in one Chinese line."""
    llm_samples = manifest.counts_by_source.get("llm", 0)
    return tr(
        "gui.generate.done",
        samples=manifest.samples,
        branches=manifest.branches_used,
        llm=llm_samples,
        path=str(manifest.path),
    )


class RetrainDialog(_OptionsDialog):
    """Data folder and the few training settings a clerk may change; the rest keep their defaults."""

    def __init__(self, parent: QWidget, host: JobHost, db_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("retrainDialog")
        self.setWindowTitle(tr("gui.retrain.title"))
        self._host = host
        self._db_path = db_path
        self.report: Any = None

        # Left empty, the field means the newest generated data at the time 开始训练 is
        # pressed, so data generated while this dialog is open is used.
        latest = latest_dataset(datasets_dir())
        self.data_edit = QLineEdit()
        self.data_edit.setObjectName("retrainData")
        self.data_edit.setPlaceholderText(
            tr("gui.retrain.data_default", path=str(latest))
            if latest
            else tr("gui.retrain.data_default_none")
        )
        self.data_edit.setToolTip(self.data_edit.placeholderText())
        fit_path_field(self.data_edit)
        self.epochs = QDoubleSpinBox()
        self.epochs.setDecimals(1)  # training takes fractional epochs, so not an integer box
        self.epochs.setSingleStep(1)
        self.epochs.setRange(0.1, 100)
        self.epochs.setValue(3)
        self.max_steps = QSpinBox()
        self.max_steps.setRange(0, 1_000_000)
        self.max_steps.setSpecialValueText(tr("gui.retrain.no_step_limit"))
        self.min_f1 = QDoubleSpinBox()
        self.min_f1.setRange(0, 1)
        self.min_f1.setSingleStep(0.01)
        self.min_f1.setValue(0.9)

        form = QFormLayout()
        form.addRow(tr("gui.retrain.data"), _folder_row(self.data_edit, self, tr("gui.retrain.data")))
        form.addRow(tr("gui.retrain.epochs"), self.epochs)
        form.addRow(tr("gui.retrain.max_steps"), self.max_steps)
        form.addRow(tr("gui.retrain.min_f1"), self.min_f1)
        self._finish_layout(form, "retrain")

    def config(self, settings: AppSettings) -> Any:
        from core.ner.config import TrainConfig

        return TrainConfig(
            epochs=self.epochs.value(),
            max_steps=self.max_steps.value(),
            min_test_f1=self.min_f1.value(),
            threads=settings.cpu_threads,
        )

    def data_dir(self) -> Path | None:
        """Return the chosen data folder, or the newest generated one when the field is empty."""
        text = self.data_edit.text().strip()
        return Path(text) if text else latest_dataset(datasets_dir())

    def start(self) -> None:
        data_dir = self.data_dir()
        if data_dir is None:
            self.status_label.setText(tr("gui.retrain.data_default_none"))
            return
        if not (data_dir / "manifest.json").is_file():
            self.status_label.setText(tr("gui.retrain.no_data", path=str(data_dir)))
            return
        config = self.config(read_settings(self._db_path))
        self.start_button.setEnabled(False)
        self.status_label.setText(tr("gui.retrain.running"))
        job = retrain_model(self, self._host, data_dir, config, self._done)
        job.failure(self._failed)

    def _done(self, report: Any) -> None:
        self.report = report
        self.status_label.setText(report_text(report))
        self.start_button.setEnabled(True)


def report_text(report: Any) -> str:
    key = "gui.retrain.activated" if report.activated else "gui.retrain.not_activated"
    return tr(
        key,
        version=report.version,
        f1=report.test_metrics.f1 * 100,
        min_f1=report.min_test_f1 * 100,
        previous=report.previous_active or "—",
        minutes=report.total_seconds / 60,
    )
