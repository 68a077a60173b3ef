"""帮助 → 关于: versions of the app, the active model and the directory."""

from __future__ import annotations

import html
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from core import __version__
from core.i18n import tr
from desktop.engine import EngineInfo
from desktop.widgets import button_box


def about_rows(info: EngineInfo | None) -> list[tuple[str, str]]:
    from core.ner.registry import active_model

    model = active_model()
    rows = [
        (tr("gui.about.app_version"), __version__),
        (tr("gui.about.model"), model.version if model else tr("gui.about.no_model")),
        (tr("gui.about.model_f1"), f"{model.test_f1:.3f}" if model and model.test_f1 is not None else "—"),
    ]
    if info is not None:
        rows += [
            (tr("gui.about.directory"), info.db_path),
            (tr("gui.about.branches"), tr("gui.about.branch_count", count=info.branch_count)),
            (tr("gui.about.last_import"), info.last_import or "—"),
            (tr("gui.about.extractor"), tr(f"gui.entity_source.{info.extractor}")),
        ]
    rows += [
        (tr("gui.about.python"), platform.python_version()),
        (tr("gui.about.qt"), pyside_version),
    ]
    return rows


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget, info: EngineInfo | None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("gui.about.title"))
        row = "<tr><td style='color:#555; padding-right:12px;'>{}</td><td>{}</td></tr>"
        body = "".join(row.format(html.escape(name), html.escape(value)) for name, value in about_rows(info))
        title = html.escape(tr("gui.app.title"))
        summary = html.escape(tr("gui.about.summary"))
        label = QLabel(f"<h3>{title}</h3><p>{summary}</p><table>{body}</table>")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setObjectName("aboutText")
        buttons = button_box(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
