"""数据 → 导入行号文件 through the dialog: preview, import job, difference."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from core.checkdigit import with_check_digit
from core.i18n import tr
from core.store import open_directory
from desktop.import_dialog import ImportDialog
from desktop.jobs import Changes, JobHost

pytestmark = pytest.mark.gui

NEW_CODE = with_check_digit("10210000999")
NEW_NAME = "中国工商银行股份有限公司北京测试路支行"
RENAMED_CODE = "102100000021"
RENAMED_NAME = "中国工商银行股份有限公司北京新华街支行"


@pytest.fixture
def gbk_file(tmp_path):
    """A GBK CSV with a header, as bank staff export it from Excel."""
    path = tmp_path / "行号.csv"
    rows = ["行号,行名", f"{NEW_CODE},{NEW_NAME}", f"{RENAMED_CODE},{RENAMED_NAME}", "12345,坏行号"]
    path.write_bytes("\r\n".join(rows).encode("gbk"))
    return path


@pytest.fixture
def dialog(qtbot, demo_db_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    host = JobHost(parent)
    dialog = ImportDialog(parent, host, demo_db_path)
    yield dialog, host
    host.wait_for_done(10_000)


def test_preview_shows_encoding_and_columns(dialog, gbk_file):
    import_dialog, _ = dialog
    import_dialog.load_preview(gbk_file)
    info = import_dialog.info_label.text()
    assert "CSV" in info
    assert "gb" in info.lower()
    headers = [import_dialog.preview_table.horizontalHeaderItem(i).text() for i in range(2)]
    assert headers == ["行号 → 联行号", "行名 → 行名"]
    assert import_dialog.preview_table.rowCount() == 3
    assert import_dialog.preview_table.item(0, 0).text() == NEW_CODE
    assert import_dialog.start_button.isEnabled()


def test_preview_of_missing_file_disables_import(dialog, tmp_path):
    import_dialog, _ = dialog
    import_dialog.load_preview(tmp_path / "missing.csv")
    assert not import_dialog.start_button.isEnabled()


def test_import_mode_defaults_to_replace(dialog, gbk_file):
    import_dialog, _ = dialog
    import_dialog.load_preview(gbk_file)
    assert import_dialog.mode() == "replace"


def test_import_merge_shows_difference(qtbot, dialog, gbk_file, demo_db_path):
    import_dialog, host = dialog
    import_dialog.load_preview(gbk_file)
    import_dialog.merge_button.setChecked(True)
    assert import_dialog.mode() == "merge"
    with qtbot.waitSignal(host.changed, timeout=30_000) as changed:
        qtbot.mouseClick(import_dialog.start_button, Qt.MouseButton.LeftButton)
    assert changed.args == [Changes(directory=True)]
    outcome = import_dialog.outcome
    assert outcome is not None
    assert (outcome.summary.added, outcome.summary.changed, outcome.summary.removed) == (1, 1, 0)
    assert outcome.summary.skipped_count == 1
    assert import_dialog.pages.currentIndex() == 1

    table = import_dialog.changes_table
    rows = [[table.item(row, column).text() for column in range(4)] for row in range(table.rowCount())]
    assert sorted(rows) == sorted(
        [
            ["新增", NEW_CODE, "", NEW_NAME],
            ["改名", RENAMED_CODE, "中国工商银行股份有限公司北京新华支行", RENAMED_NAME],
        ]
    )
    summary = import_dialog.summary_label.text()
    assert "新增 1 个" in summary
    assert "第 4 行" in summary

    directory = open_directory(demo_db_path)
    try:
        assert directory.get(NEW_CODE).name == NEW_NAME
        assert directory.get(RENAMED_CODE).name == RENAMED_NAME
        assert directory.count() == 12_131
    finally:
        directory.close()


def test_failed_import_leaves_directory_unchanged(qtbot, dialog, tmp_path, demo_db_path):
    import_dialog, host = dialog
    bad = tmp_path / "bad.csv"
    bad.write_text("行号,行名\n12345,坏行号\n", encoding="utf-8")
    import_dialog.load_preview(bad)
    import_dialog.replace_button.setChecked(True)
    import_dialog.start_import()
    qtbot.waitUntil(lambda: not host.busy, timeout=30_000)
    assert import_dialog.outcome is None
    assert (
        "数据库未作任何修改" in import_dialog.info_label.text()
        or "没有一行有效数据" in import_dialog.info_label.text()
    )
    assert import_dialog.start_button.isEnabled()
    directory = open_directory(demo_db_path)
    try:
        assert directory.count() == 12_130
    finally:
        directory.close()


def test_preview_rows_show_file_line_numbers(dialog, gbk_file):
    import_dialog, _ = dialog
    import_dialog.load_preview(gbk_file)
    table = import_dialog.preview_table
    labels = [table.verticalHeaderItem(row).text() for row in range(table.rowCount())]
    assert labels == ["2", "3", "4"]  # the header is line 1, as in skipped-row messages


def test_preview_headerless_file_starts_at_line_1(dialog, tmp_path):
    import_dialog, _ = dialog
    path = tmp_path / "headerless.csv"
    path.write_text(f"{NEW_CODE},{NEW_NAME}\n{RENAMED_CODE},{RENAMED_NAME}\n", encoding="utf-8")
    import_dialog.load_preview(path)
    table = import_dialog.preview_table
    labels = [table.verticalHeaderItem(row).text() for row in range(table.rowCount())]
    assert labels == ["1", "2"]


def test_import_without_changes_says_so(qtbot, dialog, gbk_file, demo_db_path):
    from core.store import import_directory

    directory = open_directory(demo_db_path)
    try:
        import_directory(directory, gbk_file, mode="merge")
    finally:
        directory.close()
    import_dialog, host = dialog
    import_dialog.load_preview(gbk_file)
    import_dialog.merge_button.setChecked(True)
    with qtbot.waitSignal(host.changed, timeout=30_000):
        import_dialog.start_import()
    assert import_dialog.outcome.changes == []
    assert import_dialog.changes_stack.currentWidget() is import_dialog.no_changes_label
    assert import_dialog.changes_title.isHidden()


@pytest.fixture
def merged_db_path(demo_db_path, gbk_file):
    """The demo directory after one merge import, so a replace is no longer exempt from the guard."""
    from core.store import import_directory

    directory = open_directory(demo_db_path)
    try:
        import_directory(directory, gbk_file, mode="merge")
    finally:
        directory.close()
    return demo_db_path


def start_large_replace(qtbot, dialog, gbk_file):
    import_dialog, host = dialog
    import_dialog.load_preview(gbk_file)
    import_dialog.replace_button.setChecked(True)
    import_dialog.start_import()
    qtbot.waitUntil(lambda: getattr(import_dialog, "confirm_box", None) is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not host.busy, timeout=30_000)
    return import_dialog.confirm_box


def test_large_replace_asks_and_declining_keeps_directory(qtbot, dialog, gbk_file, merged_db_path):
    import_dialog, _ = dialog
    box = start_large_replace(qtbot, dialog, gbk_file)
    assert "12,131" in box.text()  # branches now in the directory
    assert "12,129" in box.text()  # branches the file lacks
    assert import_dialog.outcome is None
    box.button(box.StandardButton.Cancel).click()
    assert import_dialog.info_label.text() == tr("gui.import.replace_declined")
    assert import_dialog.start_button.isEnabled()
    directory = open_directory(merged_db_path)
    try:
        assert directory.count() == 12_131
    finally:
        directory.close()


def test_large_replace_confirmed_replaces(qtbot, dialog, gbk_file, merged_db_path):
    import_dialog, host = dialog
    box = start_large_replace(qtbot, dialog, gbk_file)
    with qtbot.waitSignal(host.changed, timeout=30_000):
        import_dialog.replace_anyway_button.click()
    assert box.isHidden()
    assert import_dialog.outcome.summary.removed == 12_129
    directory = open_directory(merged_db_path)
    try:
        assert directory.count() == 2
    finally:
        directory.close()
