"""训练 menu dialogs: path fields, the default data folder and the option boxes."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QWidget

from core.i18n import tr
from core.paths import datasets_dir
from desktop.eval_dialog import EvaluateDialog
from desktop.jobs import JobHost
from desktop.training_dialogs import GenerateDialog, RetrainDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def make_dataset(name):
    folder = datasets_dir() / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"samples": 0}), encoding="utf-8")
    return folder


def test_generate_output_shows_whole_path(qtbot, parent, demo_db_path):
    dialog = GenerateDialog(parent, JobHost(parent), demo_db_path)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.out_edit
    assert edit.text().startswith(str(datasets_dir()))
    assert edit.cursorPosition() == 0
    assert edit.toolTip() == edit.text()
    assert edit.width() >= edit.fontMetrics().horizontalAdvance(edit.text())


def test_retrain_data_field_defaults_to_latest(qtbot, parent, demo_db_path):
    make_dataset("data-1")
    latest = make_dataset("data-2")
    os.utime(latest, (latest.stat().st_atime, latest.stat().st_mtime + 10))  # newest by mtime
    dialog = RetrainDialog(parent, JobHost(parent), demo_db_path)
    qtbot.addWidget(dialog)
    assert dialog.data_edit.text() == ""
    assert dialog.data_edit.placeholderText() == tr("gui.retrain.data_default", path=str(latest))
    assert dialog.data_dir() == latest
    chosen = make_dataset("chosen")
    dialog.data_edit.setText(str(chosen))
    assert dialog.data_dir() == chosen


def test_retrain_without_data_says_generate_first(qtbot, parent, demo_db_path):
    dialog = RetrainDialog(parent, JobHost(parent), demo_db_path)
    qtbot.addWidget(dialog)
    assert dialog.data_edit.placeholderText() == tr("gui.retrain.data_default_none")
    assert dialog.data_dir() is None
    dialog.start()
    assert dialog.status_label.text() == tr("gui.retrain.data_default_none")
    assert dialog.start_button.isEnabled()


def test_retrain_epochs_show_one_decimal(qtbot, parent, demo_db_path):
    dialog = RetrainDialog(parent, JobHost(parent), demo_db_path)
    qtbot.addWidget(dialog)
    assert dialog.epochs.text() == "3.0"
    assert dialog.epochs.decimals() == 1


def test_eval_hint_sits_under_path_row(qtbot, parent, demo_db_path):
    dialog = EvaluateDialog(parent, JobHost(parent), demo_db_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    label = dialog.summary_label
    assert label.text() == tr("gui.eval.hint")
    below_path = dialog.path_edit.geometry().bottom()
    assert label.geometry().top() - below_path < 3 * label.fontMetrics().height()
    assert label.height() < dialog.height() // 4
