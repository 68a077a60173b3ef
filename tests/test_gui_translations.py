"""Qt's own texts in Chinese: standard buttons of message boxes and button boxes."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale
from PySide6.QtWidgets import QMessageBox

from core.i18n import tr
from desktop.main_window import MainWindow
from desktop.widgets import QT_CATALOGUE, install_qt_translations

pytestmark = pytest.mark.gui

HAS_QT_CATALOGUE = os.path.isfile(
    os.path.join(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), f"{QT_CATALOGUE}.qm")
)


@pytest.fixture
def qt_chinese(qapp):
    translator = install_qt_translations(qapp)
    yield translator
    if translator is not None:
        qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale.system())


@pytest.mark.skipif(not HAS_QT_CATALOGUE, reason="this PySide6 build ships no qtbase_zh_CN.qm")
def test_qt_catalogue_translates_buttons(qt_chinese):
    assert qt_chinese is not None
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "确定"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


@pytest.mark.skipif(not HAS_QT_CATALOGUE, reason="this PySide6 build ships no qtbase_zh_CN.qm")
def test_plain_message_box_is_chinese(qtbot, qt_chinese):
    box = QMessageBox(QMessageBox.Icon.Information, "标题", "正文")
    qtbot.addWidget(box)
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Ok).text() == "确定"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"


def test_guide_box_button_is_chinese(qtbot, demo_db_template, tmp_path):
    path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, path)
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.actions_by_name["guide"].trigger()
    box = window.findChild(QMessageBox, "guideBox")
    assert box is not None
    texts = [button.text() for button in box.buttons()]
    assert texts == [tr("gui.buttons.ok")]
    assert "OK" not in texts
    box.close()
    qtbot.waitUntil(lambda: window.lookups.ready, timeout=60_000)
    window.close()
