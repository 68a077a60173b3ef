"""The main window's menus. Each action opens one dialog or starts one operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from core.i18n import tr

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

# menu -> [(action name, shortcut)]; None is a separator. Labels and status tips are
# "gui.action.<name>" and "gui.action.<name>_tip" in core/locale/gui.toml.
MENUS: dict[str, list[tuple[str, str] | None]] = {
    "data": [("import", "Ctrl+I"), ("batch", "Ctrl+B"), None, ("quit", "Ctrl+Q")],
    "training": [
        ("generate", ""),
        ("retrain", ""),
        ("evaluate", ""),
        None,
        ("learn", ""),
        ("corrections", ""),
    ],
    "settings": [("settings", "Ctrl+,")],
    "help": [("guide", "F1"), ("about", "")],
}


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Create the menu bar and return its actions by name."""
    handlers = _handlers(window)
    actions: dict[str, QAction] = {}
    for menu_name, entries in MENUS.items():
        menu = window.menuBar().addMenu(tr(f"gui.menu.{menu_name}"))
        for entry in entries:
            if entry is None:
                menu.addSeparator()
                continue
            name, shortcut = entry
            action = QAction(tr(f"gui.action.{name}"), window)
            action.setObjectName(f"action_{name}")
            action.setStatusTip(tr(f"gui.action.{name}_tip"))
            action.setToolTip(tr(f"gui.action.{name}_tip"))
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            handler = handlers.get(name)
            if handler is None:
                action.setEnabled(False)
            else:
                action.triggered.connect(handler)
            menu.addAction(action)
            actions[name] = action
    return actions


def _handlers(window: MainWindow) -> dict[str, Callable[[], None]]:
    def open_import() -> None:
        from desktop.import_dialog import ImportDialog

        ImportDialog(window, window.jobs, window.db_path).open()

    def open_batch() -> None:
        from desktop.batch_dialog import BatchDialog

        BatchDialog(window, window.jobs, window.db_path).open()

    def open_generate() -> None:
        from desktop.training_dialogs import GenerateDialog

        GenerateDialog(window, window.jobs, window.db_path).open()

    def open_retrain() -> None:
        from desktop.training_dialogs import RetrainDialog

        RetrainDialog(window, window.jobs, window.db_path).open()

    def open_evaluate() -> None:
        from desktop.eval_dialog import EvaluateDialog

        EvaluateDialog(window, window.jobs, window.db_path).open()

    def open_settings() -> None:
        from desktop.settings_dialog import SettingsDialog

        SettingsDialog(window, window.jobs, window.db_path).open()

    def open_about() -> None:
        from desktop.about_dialog import AboutDialog

        AboutDialog(window, window.lookups.info).open()

    def open_guide() -> None:
        from desktop.widgets import localize_buttons

        box = QMessageBox(
            QMessageBox.Icon.Information, tr("gui.guide.title"), tr("gui.guide.text"), parent=window
        )
        box.setObjectName("guideBox")
        localize_buttons(box)
        box.open()

    def start_learning() -> None:
        from desktop.operations.feedback import learn_from_corrections
        from desktop.widgets import localize_buttons

        def show_report(report: object) -> None:
            from core.feedback.report_text import learn_report_lines

            box = QMessageBox(
                QMessageBox.Icon.Information,
                tr("feedback.learn_done_title"),
                "\n".join(learn_report_lines(report)),  # type: ignore[arg-type]
                parent=window,
            )
            localize_buttons(box)
            box.open()

        learn_from_corrections(window, window.jobs, window.db_path, show_report)

    def open_corrections() -> None:
        from core.errors import BankcodeError
        from desktop.corrections_dialog import CorrectionsDialog
        from desktop.jobs import present_error

        try:
            dialog = CorrectionsDialog(window, window.db_path, window.lookups.reload_aliases)
        except BankcodeError as error:  # the database cannot be opened
            present_error(window, error)
            return
        dialog.open()

    return {
        "import": open_import,
        "batch": open_batch,
        "generate": open_generate,
        "retrain": open_retrain,
        "evaluate": open_evaluate,
        "learn": start_learning,
        "corrections": open_corrections,
        "settings": open_settings,
        "about": open_about,
        "guide": open_guide,
        "quit": window.close,
    }
