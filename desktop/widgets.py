"""Small helpers shared by the dialogs."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QHBoxLayout, QLineEdit, QMessageBox, QPushButton

from core.i18n import describe_error, tr

logger = logging.getLogger(__name__)

QT_CATALOGUE = "qtbase_zh_CN"


def install_qt_translations(app: QCoreApplication) -> QTranslator | None:
    """Load Qt's own Chinese texts (standard buttons, file dialogs, context menus) into ``app``.

    Returns the installed translator, parented to ``app``, or None when the
    PySide6 build has no ``qtbase_zh_CN.qm`` in its translations folder.
    """
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(QT_CATALOGUE, folder):
        logger.info("no %s.qm in %s; standard buttons are labelled by localize_buttons", QT_CATALOGUE, folder)
        return None
    app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return translator


# Some PySide6 builds ship no qtbase_zh_CN.qm (PySide6-Essentials 6.11.3 does), so the
# boxes this app creates label their standard buttons themselves as well.
_DIALOG_BUTTONS = {
    QDialogButtonBox.StandardButton.Ok: "ok",
    QDialogButtonBox.StandardButton.Cancel: "cancel",
    QDialogButtonBox.StandardButton.Close: "close",
    QDialogButtonBox.StandardButton.Save: "save",
}
_MESSAGE_BUTTONS = {
    QMessageBox.StandardButton.Ok: "ok",
    QMessageBox.StandardButton.Cancel: "cancel",
    QMessageBox.StandardButton.Close: "close",
}


def localize_buttons(box: QDialogButtonBox | QMessageBox) -> None:
    """Give a button box's or message box's standard buttons their Chinese labels."""
    if isinstance(box, QMessageBox) and not box.buttons():
        box.setStandardButtons(QMessageBox.StandardButton.Ok)  # what Qt would add when shown
    table = _DIALOG_BUTTONS if isinstance(box, QDialogButtonBox) else _MESSAGE_BUTTONS
    for standard, name in table.items():
        button = box.button(standard)
        if button is not None:
            button.setText(tr(f"gui.buttons.{name}"))


def button_box(buttons: QDialogButtonBox.StandardButton) -> QDialogButtonBox:
    """Return a ``QDialogButtonBox`` with ``buttons`` labelled in Chinese."""
    box = QDialogButtonBox(buttons)
    localize_buttons(box)
    return box


# Widest a path field grows to fit its text, in pixels; a longer path scrolls.
PATH_FIELD_MAX_WIDTH = 720


def fit_path_field(edit: QLineEdit) -> None:
    """Widen ``edit`` to show its whole path and show the path's start, not its end.

    A QLineEdit given a long text scrolls to the cursor at the end, so only the
    last folder name showed. The full path is also the tooltip, kept current.
    """

    def fit(text: str) -> None:
        margin = 4 * edit.fontMetrics().averageCharWidth()
        wanted = edit.fontMetrics().horizontalAdvance(text) + margin
        edit.setMinimumWidth(min(max(wanted, edit.sizeHint().width()), PATH_FIELD_MAX_WIDTH))
        edit.setToolTip(text)

    fit(edit.text())
    edit.setCursorPosition(0)
    edit.textChanged.connect(fit)


def start_button_box(
    text: str,
    object_name: str,
    on_start: Callable[[], None],
    on_reject: Callable[[], None],
    close: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Close,
) -> tuple[QDialogButtonBox, QPushButton]:
    """Return a button box with ``close`` and a start button labelled ``text``, and that button."""
    box = button_box(close)
    start = box.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    start.setObjectName(object_name)
    start.clicked.connect(on_start)
    box.rejected.connect(on_reject)
    return box, start


def browse_row(edit: QLineEdit, browse_text: str, on_browse: Callable[[], None]) -> QHBoxLayout:
    """Lay out ``edit`` with a button labelled ``browse_text`` that calls ``on_browse``."""
    browse = QPushButton(browse_text)
    browse.clicked.connect(on_browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


ERROR_COLOR = "#b00020"


def error_html(error: BaseException) -> str:
    """Return ``error``'s Chinese description as rich text in the error color, HTML-escaped."""
    return f'<span style="color:{ERROR_COLOR};">{html.escape(describe_error(error), quote=False)}</span>'
