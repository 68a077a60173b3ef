"""Small helpers shared by the dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from core.i18n import tr

# PySide6-Essentials ships no Chinese Qt catalogue (its qt_zh_CN.qm only points at a
# qtbase file that is missing), so standard buttons are labelled here.
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
