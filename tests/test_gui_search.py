"""The main window: search as you type, copy, keyboard use, corrections and the lookup log."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from core.i18n import tr
from core.store import open_directory
from desktop.jobs import Changes
from desktop.main_window import MainWindow

pytestmark = pytest.mark.gui

ZHICHUNLU = "102100020794"  # 中国工商银行股份有限公司北京知春路支行
# Queries whose outcome does not hang on the calibrated threshold: a full name that
# leaves out only 股份有限公司, and a road name that hundreds of branches share.
ANSWERED = "工商银行北京知春路支行"
AMBIGUOUS = "人民路支行"
LOAD_TIMEOUT_MS = 60_000


@pytest.fixture
def window(qtbot, demo_db_path):
    window = MainWindow(demo_db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.lookups.ready, timeout=LOAD_TIMEOUT_MS)
    yield window
    window.close()


def search(qtbot, window, text):
    """Type ``text`` one character at a time, as an input method commits it."""
    # QTest.keyClicks only sends ASCII keys, so Chinese goes in through insert().
    window.search.clear()
    window.search.setFocus()
    for char in text:
        window.search.insert(char)
    qtbot.waitUntil(lambda: window.result is not None and window.result.query == text, timeout=10_000)
    return window.result


def table_codes(window):
    model = window.table.results
    return [model.candidate(row).cnaps_code for row in range(model.rowCount())]


def count_rows(db_path, table):
    directory = open_directory(db_path)
    try:
        return directory.db[table].count
    finally:
        directory.close()


def test_typing_demo_query_shows_code(qtbot, window):
    result = search(qtbot, window, ANSWERED)
    assert result.answer is not None
    assert result.answer.cnaps_code == ZHICHUNLU
    assert table_codes(window)[0] == ZHICHUNLU
    assert window.table.current_candidate().cnaps_code == ZHICHUNLU
    assert tr("gui.answer.found") in window.answer_label.text()
    assert ZHICHUNLU in window.answer_label.text()
    assert ZHICHUNLU in window.detail.text()
    assert "工商银行" in window.query_view.text()
    assert tr("gui.entity.BANK") in window.query_view.text()


def test_enter_copies_code_and_logs_lookup(qtbot, window, demo_db_path):
    search(qtbot, window, ANSWERED)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text() == ZHICHUNLU
    qtbot.waitUntil(lambda: count_rows(demo_db_path, "lookup_log") == 1, timeout=10_000)


def test_copy_button_and_ctrl_c(qtbot, window):
    search(qtbot, window, ANSWERED)
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(window.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == ZHICHUNLU
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(window.search, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == ZHICHUNLU


def test_down_arrow_moves_selection_from_search_box(qtbot, window):
    search(qtbot, window, ANSWERED)
    codes = table_codes(window)
    assert len(codes) > 2
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.table.current_row() == 2
    qtbot.keyClick(window.search, Qt.Key.Key_Up)
    assert window.table.current_row() == 1
    assert window.search.hasFocus() or not window.isActiveWindow()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text() == codes[1]


def test_unsure_result_lists_candidates(qtbot, window):
    result = search(qtbot, window, AMBIGUOUS)
    assert result.answer is None
    assert tr("gui.answer.unsure") in window.answer_label.text()
    assert window.table.results.rowCount() == len(result.candidates) > 0
    assert window.table.current_row() == -1  # nothing preselected, so Enter cannot copy a guess
    QGuiApplication.clipboard().setText("unchanged")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert QGuiApplication.clipboard().text() == "unchanged"
    assert not window.copy_button.isEnabled()
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.table.current_row() == 0
    assert window.confirm_button.text() == tr("gui.button.choose")


def test_choosing_candidate_records_correction(qtbot, window, demo_db_path):
    result = search(qtbot, window, AMBIGUOUS)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    chosen = result.candidates[1].cnaps_code
    qtbot.mouseClick(window.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: count_rows(demo_db_path, "corrections") == 1, timeout=10_000)
    directory = open_directory(demo_db_path)
    try:
        row = next(directory.db["corrections"].rows)
        assert (row["query"], row["chosen_code"], row["previous_code"]) == (AMBIGUOUS, chosen, None)
        assert directory.db["lookup_log"].count == 1
    finally:
        directory.close()


def test_confirming_answer_records_confirmation(qtbot, window, demo_db_path):
    search(qtbot, window, ANSWERED)
    qtbot.keyClick(window.search, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: count_rows(demo_db_path, "corrections") == 1, timeout=10_000)
    directory = open_directory(demo_db_path)
    try:
        row = next(directory.db["corrections"].rows)
        assert (row["chosen_code"], row["previous_code"]) == (ZHICHUNLU, ZHICHUNLU)
    finally:
        directory.close()


def test_punctuation_only_query_is_invalid(qtbot, window):
    window.search.setText("。。。")
    qtbot.waitUntil(lambda: window.answer_label.text() == tr("gui.answer.invalid"), timeout=10_000)
    assert window.table.results.rowCount() == 0


def test_escape_clears_search(qtbot, window):
    search(qtbot, window, ANSWERED)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.table.results.rowCount() == 0


def test_directory_change_reloads_engine(qtbot, window):
    first = window.lookups.info
    with qtbot.waitSignal(window.lookups.loaded, timeout=LOAD_TIMEOUT_MS):
        window.jobs.changed.emit(Changes(directory=True))
    assert window.lookups.info is not first
    assert window.lookups.info.branch_count == 12_130


def test_result_left_on_screen_is_logged(qtbot, window, demo_db_path):
    window.feedback.set_pause_ms(200)
    search(qtbot, window, ANSWERED)
    qtbot.waitUntil(lambda: count_rows(demo_db_path, "lookup_log") == 1, timeout=10_000)
    directory = open_directory(demo_db_path)
    try:
        row = next(directory.db["lookup_log"].rows)
        assert (row["query"], row["answer_code"]) == (ANSWERED, ZHICHUNLU)
    finally:
        directory.close()


def test_typing_on_does_not_log_intermediate_results(qtbot, window, demo_db_path):
    window.feedback.set_pause_ms(60_000)
    search(qtbot, window, "工商银行")
    search(qtbot, window, ANSWERED)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: count_rows(demo_db_path, "lookup_log") == 1, timeout=10_000)
    qtbot.wait(300)
    assert count_rows(demo_db_path, "lookup_log") == 1


def test_status_bar_shows_engine_state(window):
    text = window.engine_label.text()
    assert "12,130" in text
    assert tr("gui.status.extractor_rules") in text or "模型" in text


def test_code_query_shows_note(qtbot, window):
    result = search(qtbot, window, ZHICHUNLU)
    assert result.answer.cnaps_code == ZHICHUNLU
    assert result.note_key
    assert tr(result.note_key, **result.note_params) in window.answer_label.text()


def test_lookups_work_while_job_runs(qtbot, window):
    import threading

    from desktop.jobs import Job

    release = threading.Event()

    def work(progress):
        progress.start_stage("import", total=0)
        while not release.wait(0.02):
            progress.check_cancelled()

    Job(window, window.jobs, work, title="t").run()
    try:
        assert window.jobs.busy
        assert not window.actions_by_name["import"].isEnabled()
        result = search(qtbot, window, ANSWERED)
        assert result.answer.cnaps_code == ZHICHUNLU
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.jobs.busy, timeout=10_000)
    assert window.actions_by_name["import"].isEnabled()


def next_tab_stop(widget):
    """Return the widget that Tab moves to from ``widget``."""
    candidate = widget.nextInFocusChain()
    while not (
        candidate.focusPolicy() & Qt.FocusPolicy.TabFocus and candidate.isVisible() and candidate.isEnabled()
    ):
        candidate = candidate.nextInFocusChain()
    return candidate


def test_tab_order_search_table_buttons(qtbot, window):
    search(qtbot, window, ANSWERED)
    assert next_tab_stop(window.search) is window.table
    assert next_tab_stop(window.table) is window.copy_button
    assert next_tab_stop(window.copy_button) is window.confirm_button


def test_unreadable_database_reports_error(qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "directory.sqlite"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    window = MainWindow(bad)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.lookups.load_failed, timeout=LOAD_TIMEOUT_MS):
        pass
    assert not window.lookups.ready
    assert window.engine_label.text() == tr("gui.status.engine_failed")
    boxes = window.findChildren(QMessageBox, "errorBox")
    assert len(boxes) == 1
    assert "数据库" in boxes[0].text()
    window.close()


def test_unrelated_query_shows_nothing_similar(qtbot, window):
    result = search(qtbot, window, "xyzzy qqq")
    assert result.candidates == []
    label = window.answer_label.text()
    assert tr("lookup.note_nothing_similar") in label
    assert tr("gui.answer.nothing") not in label
    assert window.table.results.rowCount() == 0


@pytest.mark.parametrize(
    "second_query",
    [AMBIGUOUS, "没有这家银行的网点名称", "10210002079"],
    ids=["unsure", "no-match", "mistyped-code"],
)
def test_detail_pane_cleared_without_selection(qtbot, window, second_query):
    search(qtbot, window, "中國銀行石家莊師範街支行")
    assert "104121006139" in window.detail.text()
    window.search.selectAll()
    window.search.insert(second_query)
    qtbot.waitUntil(lambda: window.result is not None and window.result.query == second_query, timeout=10_000)
    assert window.table.current_row() == -1
    assert tr("gui.detail.empty") in window.detail.text()
    assert "104121006139" not in window.detail.text()
    assert not window.copy_button.isEnabled()


def test_detail_pane_follows_selected_row(qtbot, window):
    result = search(qtbot, window, AMBIGUOUS)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    second = window.table.current_candidate()
    assert second.cnaps_code == result.candidates[1].cnaps_code
    assert second.cnaps_code in window.detail.text()
    assert result.candidates[0].cnaps_code not in window.detail.text()


def test_answer_shows_confidence_and_score(qtbot, window):
    result = search(qtbot, window, ANSWERED)
    model = window.table.results
    score_column = model.columnCount() - 1
    assert model.headerData(score_column, Qt.Orientation.Horizontal) == tr("gui.table.score")
    assert model.index(0, score_column).data() == tr("gui.table.percent", value=result.answer.score * 100)
    detail = window.detail.text()
    assert tr("gui.detail.confidence") in detail
    assert tr("gui.table.percent", value=result.confidence * 100) in detail
    assert tr("gui.detail.score") in detail


def test_candidate_detail_has_no_confidence(qtbot, window):
    search(qtbot, window, AMBIGUOUS)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert tr("gui.detail.is_candidate") in window.detail.text()
    assert tr("gui.detail.confidence") not in window.detail.text()
    assert tr("gui.detail.score") in window.detail.text()


def test_code_listing_hides_scores(qtbot, window):
    result = search(qtbot, window, "1021000207")
    assert result.answer is None
    model = window.table.results
    assert model.rowCount() > 0
    assert model.index(0, model.columnCount() - 1).data() == ""
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert tr("gui.detail.score") not in window.detail.text()


def test_cli_and_gui_share_score_terms():
    from core.cli.cmd_query import format_result
    from core.results import Candidate, LookupResult

    candidate = Candidate(cnaps_code=ZHICHUNLU, name="中国工商银行股份有限公司北京知春路支行", score=0.5)
    unsure = LookupResult(
        query="知春路", normalized="知春路", answer=None, confidence=0.4, candidates=[candidate]
    )
    assert tr("gui.table.score") in "\n".join(format_result(unsure))
    answered = LookupResult(
        query="知春路", normalized="知春路", answer=candidate, confidence=0.9, candidates=[candidate]
    )
    assert tr("gui.detail.confidence") in "\n".join(format_result(answered))


def test_typing_during_engine_load_is_searched(qtbot, demo_db_path):
    window = MainWindow(demo_db_path)
    qtbot.addWidget(window)
    window.show()
    # Typed at once: the engine is usually still loading, and the text waits for it.
    window.search.setText(ANSWERED)
    qtbot.waitUntil(lambda: window.result is not None, timeout=LOAD_TIMEOUT_MS)
    assert window.result.query == ANSWERED
    assert window.result.answer.cnaps_code == ZHICHUNLU
    window.close()
