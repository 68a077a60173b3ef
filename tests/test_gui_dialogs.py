"""设置 and 关于: settings round-trip through the database and reload the engine."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from core.store import open_directory
from desktop.jobs import Changes, JobHost
from desktop.settings import AppSettings, load_settings, save_settings

pytestmark = pytest.mark.gui


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_settings_round_trip(demo_directory):
    assert load_settings(demo_directory.db) == AppSettings()
    chosen = AppSettings(gguf_path="/models/x.gguf", cpu_threads=2, confidence_threshold=0.85)
    save_settings(demo_directory.db, chosen)
    assert load_settings(demo_directory.db) == chosen


def test_unreadable_setting_falls_back_to_default(demo_directory):
    demo_directory.db["settings"].upsert({"key": "app.cpu_threads", "value": "not json"}, pk="key")
    assert load_settings(demo_directory.db).cpu_threads == 0


def test_settings_dialog_saves_and_signals(qtbot, parent, demo_db_path, tmp_path):
    from desktop.settings_dialog import SettingsDialog

    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF")
    host = JobHost(parent)
    dialog = SettingsDialog(parent, host, demo_db_path)
    dialog.gguf_edit.setText(str(gguf))
    dialog.threads.setValue(1)
    dialog.custom_threshold.setChecked(True)
    dialog.threshold.setValue(0.9)
    with qtbot.waitSignal(host.changed, timeout=5000) as changed:
        dialog.save()
    assert changed.args == [Changes(settings=True)]
    directory = open_directory(demo_db_path)
    try:
        assert load_settings(directory.db) == AppSettings(str(gguf), 1, 0.9)
    finally:
        directory.close()


def test_settings_dialog_rejects_missing_gguf(parent, demo_db_path, tmp_path):
    from desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog(parent, JobHost(parent), demo_db_path)
    dialog.gguf_edit.setText(str(tmp_path / "missing.gguf"))
    dialog.save()
    assert "找不到大模型文件" in dialog.error_label.text()
    directory = open_directory(demo_db_path)
    try:
        assert load_settings(directory.db) == AppSettings()
    finally:
        directory.close()


def test_threshold_setting_reaches_engine(demo_db_path):
    from desktop.engine import open_engine

    directory = open_directory(demo_db_path)
    try:
        save_settings(directory.db, AppSettings(confidence_threshold=0.99))
    finally:
        directory.close()
    opened = open_engine(demo_db_path)
    try:
        assert opened.info.threshold == 0.99
        assert opened.info.last_import.startswith("demo_branches.csv (")
        assert opened.engine.threshold == 0.99
    finally:
        opened.close()


def test_about_shows_versions(parent):
    from core import __version__
    from desktop.about_dialog import AboutDialog
    from desktop.engine import EngineInfo

    info = EngineInfo(
        "/data/directory.sqlite", 12_130, "rules", "", "", None, 1.0, "行号.csv (2026-12-01T08:00:00+00:00)"
    )
    dialog = AboutDialog(parent, info)
    label_text = dialog.findChild(QLabel, "aboutText").text()
    assert __version__ in label_text
    assert "12,130 个" in label_text
    assert "/data/directory.sqlite" in label_text
    assert "行号.csv (2026-12-01T08:00:00+00:00)" in label_text


def test_settings_dialog_shows_engine_default_threshold(parent, demo_db_path):
    from core.lookup.engine import CONFIDENCE_THRESHOLD
    from desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog(parent, JobHost(parent), demo_db_path)
    assert not dialog.custom_threshold.isChecked()
    assert not dialog.threshold.isEnabled()
    assert dialog.threshold.value() == pytest.approx(CONFIDENCE_THRESHOLD)

    dialog.custom_threshold.setChecked(True)
    assert dialog.threshold.isEnabled()
    assert dialog.threshold.value() == pytest.approx(CONFIDENCE_THRESHOLD)
    assert dialog.settings().confidence_threshold == pytest.approx(CONFIDENCE_THRESHOLD)

    dialog.threshold.setValue(0.95)
    dialog.custom_threshold.setChecked(False)
    assert dialog.threshold.value() == pytest.approx(CONFIDENCE_THRESHOLD)
    assert dialog.settings().confidence_threshold is None
