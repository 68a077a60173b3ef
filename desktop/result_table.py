"""The table of a lookup's answer and candidates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from core.i18n import tr
from core.results import Candidate, LookupResult

COLUMNS = ("name", "code", "bank", "place", "score")
ANSWER_BACKGROUND = QColor("#e6f4ea")

Index = QModelIndex | QPersistentModelIndex


class ResultModel(QAbstractTableModel):
    """Rows are the result's candidates; the answer, when there is one, is row 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: LookupResult | None = None
        self._rows: list[Candidate] = []

    def set_result(self, result: LookupResult | None) -> None:
        self.beginResetModel()
        self.result = result
        self._rows = []
        if result is not None:
            if result.answer is not None:
                self._rows.append(result.answer)
            self._rows.extend(
                c
                for c in result.candidates
                if result.answer is None or c.cnaps_code != result.answer.cnaps_code
            )
        self.endResetModel()

    def candidate(self, row: int) -> Candidate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def is_answer(self, row: int) -> bool:
        return row == 0 and self.result is not None and self.result.answer is not None

    def shows_scores(self) -> bool:
        """Return whether the rows have a 匹配度 to show.

        Branches listed for a code prefix or a mistyped code are not ranked by
        similarity, so their scores mean nothing to a clerk (the CLI hides them too).
        """
        return self.result is not None and not self.result.note_key.startswith("lookup.note_code")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(f"gui.table.{COLUMNS[section]}")
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section] == "score":
            return tr("gui.table.score_tip")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        candidate = self.candidate(index.row())
        if candidate is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(candidate, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return candidate.name
        if role == Qt.ItemDataRole.BackgroundRole and self.is_answer(index.row()):
            return QBrush(ANSWER_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and self.is_answer(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("code", "score"):
            return int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight)
        if role == Qt.ItemDataRole.UserRole:
            return candidate.cnaps_code
        return None

    def _display(self, candidate: Candidate, column: str) -> str:
        if column == "name":
            return candidate.name
        if column == "code":
            return candidate.cnaps_code
        if column == "bank":
            return candidate.bank_name
        if column == "place":
            return place_text(candidate)
        # One quantity per column: every row shows its ranking score (匹配度). The answer's
        # calibrated confidence (置信度) is a different number, shown in the answer line.
        if not self.shows_scores():
            return ""
        return tr("gui.table.percent", value=candidate.score * 100)


def place_text(candidate: Candidate) -> str:
    if candidate.province and candidate.city and candidate.province != candidate.city:
        return tr("gui.table.province_city", province=candidate.province, city=candidate.city)
    return candidate.city or candidate.province


class ResultTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultTable")
        self.results = ResultModel(self)
        self.setModel(self.results)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def set_result(self, result: LookupResult | None) -> None:
        """Show ``result``; only a confident answer is preselected.

        Without an answer no row is selected, so Enter copies nothing until the
        clerk has picked a candidate on purpose.
        """
        self.results.set_result(result)
        if result is not None and result.answer is not None:
            self.selectRow(0)

    def current_row(self) -> int:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def current_candidate(self) -> Candidate | None:
        return self.results.candidate(self.current_row())

    def move_selection(self, step: int) -> None:
        count = self.results.rowCount()
        if not count:
            return
        row = min(max(self.current_row() + step, 0), count - 1)
        self.selectRow(row)
        self.scrollTo(self.results.index(row, 0))
