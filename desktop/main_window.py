"""The main window: search as you type, results, details, copy and corrections."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from core.errors import InvalidQueryError
from core.i18n import tr
from core.results import Candidate, LookupResult
from desktop.detail_pane import DetailPane
from desktop.engine import EngineInfo
from desktop.feedback import FeedbackRecorder
from desktop.jobs import Changes, JobHost, present_error
from desktop.lookup_service import LookupService
from desktop.menus import build_menus
from desktop.query_view import QueryView
from desktop.result_table import ResultTable
from desktop.status_text import answer_html, engine_status
from desktop.widgets import error_html

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 150


class MainWindow(QMainWindow):
    """Search window over one directory database.

    ``db_path`` None means the default database in the user data folder. The window
    owns one lookup thread and one ``JobHost``; dialogs and operations get them
    passed explicitly.
    """

    def __init__(self, db_path: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(tr("gui.app.title"))
        self.resize(1080, 620)
        self.db_path = db_path
        self.jobs = JobHost(self)
        self.lookups = LookupService(db_path, self)
        self.feedback = FeedbackRecorder(db_path, self)
        self.result: LookupResult | None = None
        self._pending_text = ""

        self._build_widgets()
        self.actions_by_name: dict[str, QAction] = build_menus(self)
        self._connect()
        # Engine state stays in a permanent label; showMessage is for short notices and menu tips.
        self.engine_label = QLabel(tr("gui.status.loading"))
        self.engine_label.setObjectName("engineStatus")
        self.statusBar().addPermanentWidget(self.engine_label)
        self.lookups.reload()

    # --- layout -------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(tr("gui.search.placeholder"))
        self.search.setClearButtonEnabled(True)
        font = self.search.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.search.setFont(font)
        self.search.installEventFilter(self)

        self.query_view = QueryView()
        self.answer_label = QLabel()
        self.answer_label.setObjectName("answerLabel")
        self.answer_label.setTextFormat(Qt.TextFormat.RichText)
        self.answer_label.setWordWrap(True)
        answer_font = self.answer_label.font()
        answer_font.setPointSizeF(answer_font.pointSizeF() * 1.1)
        self.answer_label.setFont(answer_font)

        self.table = ResultTable()
        self.detail = DetailPane()

        self.copy_button = QPushButton(tr("gui.button.copy"))
        self.copy_button.setObjectName("copyButton")
        self.copy_button.setToolTip(tr("gui.button.copy_tip"))
        self.confirm_button = QPushButton(tr("gui.button.confirm"))
        self.confirm_button.setObjectName("confirmButton")
        self.confirm_button.setToolTip(tr("gui.button.confirm_tip"))

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.confirm_button)
        buttons.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.search)
        layout.addWidget(self.query_view)
        layout.addWidget(self.answer_label)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        # Tab goes search -> table -> copy -> confirm; the detail pane only shows text.
        self.setTabOrder(self.search, self.table)
        self.setTabOrder(self.table, self.copy_button)
        self.setTabOrder(self.copy_button, self.confirm_button)
        self._show_result(None)

    def _connect(self) -> None:
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_lookup)
        self.search.textChanged.connect(self._on_text_changed)
        self.search.returnPressed.connect(self.copy_code)

        self.lookups.loaded.connect(self._on_engine_loaded)
        self.lookups.load_failed.connect(self._on_engine_failed)
        self.lookups.finished.connect(self._on_lookup_finished)
        self.lookups.failed.connect(self._on_lookup_failed)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.copy_code())
        self.table.customContextMenuRequested.connect(self._show_table_menu)
        self.copy_button.clicked.connect(self.copy_code)
        self.confirm_button.clicked.connect(self.confirm_selected)

        QShortcut(QKeySequence.StandardKey.Copy, self.table, self.copy_code)
        QShortcut(QKeySequence("Ctrl+L"), self, self.focus_search)
        QShortcut(QKeySequence("F6"), self, self.focus_search)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.confirm_selected)
        self.table.activated.connect(lambda _index: self.copy_code())

        self.feedback.failed.connect(lambda error: present_error(self, error))
        # A correction writes an alias; the engine rereads them so the same text answers at once.
        self.feedback.corrected.connect(lambda _row_id: self.lookups.reload_aliases())
        self.feedback.replaced.connect(
            lambda query, previous, code: self.statusBar().showMessage(
                tr("feedback.correction_replaced", query=query, previous=previous, code=code), 8000
            )
        )
        self.jobs.changed.connect(self._on_changes)
        self.jobs.busy_changed.connect(self._on_busy_changed)

    # --- search -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Move through the result rows with Up/Down/PageUp/PageDown while typing; Esc clears."""
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}
            if key in steps:
                self.table.move_selection(steps[key])
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            # Ctrl+C copies the code unless the clerk selected text in the search box.
            is_copy = key == Qt.Key.Key_C and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if is_copy and not self.search.hasSelectedText():
                self.copy_code()
                return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        self.feedback.leave_current()
        self._pending_text = text.strip()
        if not self._pending_text:
            self._debounce.stop()
            self._show_result(None)
            return
        self._debounce.start()

    def _run_lookup(self) -> None:
        if not self.lookups.ready:
            return  # the lookup runs when the engine has loaded
        self.lookups.request(self._pending_text)

    @Slot(int, object)
    def _on_lookup_finished(self, _request_id: int, result: LookupResult) -> None:
        if result.query.strip() != self._pending_text:
            return
        self._show_result(result)
        self.feedback.track(result)

    @Slot(int, str, object)
    def _on_lookup_failed(self, _request_id: int, text: str, error: Any) -> None:
        if text.strip() != self._pending_text:
            return
        self._show_result(None)
        if isinstance(error, InvalidQueryError):
            self.answer_label.setText(tr("gui.answer.invalid"))
        else:
            logger.error("lookup of %r failed: %s", text, error)
            self.answer_label.setText(error_html(error))

    def _show_result(self, result: LookupResult | None) -> None:
        self.result = result
        self.query_view.show_result(result)
        self.table.set_result(result)
        self.answer_label.setText(answer_html(result))
        # Resetting the model clears the selection without emitting selectionChanged,
        # so the pane is refreshed here or it keeps the previous query's branch.
        self._show_selected()

    def _show_selected(self) -> None:
        """Describe exactly the selected row in the detail pane, or show its hint when none is."""
        results = self.table.results
        row = self.table.current_row()
        confidence = self.result.confidence if self.result is not None and results.is_answer(row) else None
        self.detail.show_candidate(results.candidate(row), confidence, results.shows_scores())
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_row = self.table.current_candidate() is not None
        self.copy_button.setEnabled(has_row)
        self.confirm_button.setEnabled(has_row)
        is_answer = self.table.results.is_answer(self.table.current_row())
        self.confirm_button.setText(tr("gui.button.confirm") if is_answer else tr("gui.button.choose"))

    def _on_selection_changed(self, *_args: Any) -> None:
        self._show_selected()

    # --- acting on a result -------------------------------------------------

    def selected_candidate(self) -> Candidate | None:
        return self.table.current_candidate()

    def copy_code(self) -> None:
        """Copy the selected row's code; the answer row is preselected when there is one."""
        candidate = self.selected_candidate()
        if candidate is None:
            if self.table.results.rowCount():
                self.statusBar().showMessage(tr("gui.status.pick_first"), 5000)
            return
        QGuiApplication.clipboard().setText(candidate.cnaps_code)
        self.statusBar().showMessage(
            tr("gui.status.copied", code=candidate.cnaps_code, name=candidate.name), 5000
        )
        if self.result is not None:
            self.feedback.acted(self.result)

    def copy_name(self) -> None:
        candidate = self.selected_candidate()
        if candidate is not None:
            QGuiApplication.clipboard().setText(candidate.name)
            self.statusBar().showMessage(tr("gui.status.copied_name", name=candidate.name), 5000)

    def confirm_selected(self) -> None:
        """Record the selected row as the right branch for the query: a confirmation or a correction."""
        candidate = self.selected_candidate()
        if candidate is None or self.result is None:
            return
        previous = self.result.answer.cnaps_code if self.result.answer else None
        self.feedback.correct(self.result, candidate.cnaps_code)
        key = "gui.status.confirmed" if candidate.cnaps_code == previous else "gui.status.corrected"
        self.statusBar().showMessage(tr(key, code=candidate.cnaps_code, name=candidate.name), 5000)

    def _show_table_menu(self, position: Any) -> None:
        index = self.table.indexAt(position)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(tr("gui.context.copy_code"), self.copy_code)
        menu.addAction(tr("gui.context.copy_name"), self.copy_name)
        menu.addSeparator()
        key = "gui.context.confirm" if self.table.results.is_answer(index.row()) else "gui.context.choose"
        menu.addAction(tr(key), self.confirm_selected)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # --- engine and jobs ----------------------------------------------------

    @Slot(object)
    def _on_engine_loaded(self, info: EngineInfo) -> None:
        self.feedback.open()
        self.engine_label.setText(engine_status(info))
        if info.model_error:
            self.engine_label.setText(tr("gui.status.model_failed", status=engine_status(info)))
            self.engine_label.setToolTip(info.model_error)
        if self._pending_text:
            self._run_lookup()

    @Slot(object)
    def _on_engine_failed(self, error: Any) -> None:
        self.engine_label.setText(tr("gui.status.engine_failed"))
        present_error(self, error, title=tr("gui.status.engine_failed"))

    @Slot(object)
    def _on_changes(self, changes: Changes) -> None:
        """Reload what a finished job changed; the current query is searched again."""
        logger.info("reloading after %s", changes)
        if changes.directory or changes.model or changes.settings:
            self.engine_label.setText(tr("gui.status.reloading"))
            self.lookups.reload()

    @Slot(bool)
    def _on_busy_changed(self, busy: bool) -> None:
        for name in ("import", "batch", "generate", "retrain", "evaluate", "learn", "settings"):
            action = self.actions_by_name.get(name)
            if action is not None:
                action.setEnabled(not busy)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.feedback.leave_current()
        for job in list(self.jobs._running):
            job.cancel()
        self.jobs.wait_for_done(10_000)
        self.lookups.stop()
        self.feedback.close()
        super().closeEvent(event)
