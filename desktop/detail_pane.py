"""Details of the selected branch: full name, code and what the code's digits mean."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from core.i18n import tr
from core.results import Candidate


def code_parts(code: str) -> tuple[str, str, str, str]:
    """Split a 12-digit CNAPS code into bank category, city code, branch serial and check digit."""
    return code[:3], code[3:7], code[7:11], code[11:]


class DetailPane(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumWidth(260)
        self.show_candidate(None)

    def show_candidate(
        self, candidate: Candidate | None, confidence: float | None = None, show_score: bool = True
    ) -> None:
        """Describe ``candidate``; ``confidence`` is the engine's 置信度 when it is the answer, else None.

        ``show_score`` False leaves out the 匹配度, for branches listed by code rather than ranked.
        """
        if candidate is None:
            self.setText(f'<p style="color:#666;">{html.escape(tr("gui.detail.empty"))}</p>')
            return
        bank, city, serial, check = code_parts(candidate.cnaps_code)
        rows = [
            (tr("gui.detail.name"), candidate.name),
            (tr("gui.detail.code"), candidate.cnaps_code),
            (tr("gui.detail.bank"), candidate.bank_name),
            (tr("gui.detail.province"), candidate.province),
            (tr("gui.detail.city"), candidate.city),
            (
                tr("gui.detail.code_parts"),
                tr("gui.detail.code_parts_value", bank=bank, city=city, serial=serial, check=check),
            ),
        ]
        if confidence is not None:
            rows.append((tr("gui.detail.confidence"), tr("gui.table.percent", value=confidence * 100)))
        if show_score:
            rows.append((tr("gui.detail.score"), tr("gui.table.percent", value=candidate.score * 100)))
        status = tr("gui.detail.is_answer") if confidence is not None else tr("gui.detail.is_candidate")
        body = "".join(
            f'<tr><td style="color:#555; padding-right:8px;">{html.escape(label)}</td>'
            f"<td>{html.escape(value or '—')}</td></tr>"
            for label, value in rows
        )
        self.setText(f"<p><b>{html.escape(status)}</b></p><table>{body}</table>")
