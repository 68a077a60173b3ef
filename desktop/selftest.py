"""``bankcode-gui --selftest``: the core self-test plus a Qt check, without opening a window.

It runs with no display: Qt starts on the offscreen platform unless QT_QPA_PLATFORM
says otherwise, and the check confirms that this OS's own platform plugin is shipped.
A Windows GUI executable has no console, so the report also goes to a file.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from core.i18n import tr

# The platform plugin each OS's window needs; the offscreen one is used for the check itself.
NATIVE_PLATFORM_PLUGIN = {"win32": "qwindows", "darwin": "qcocoa"}
DEFAULT_PLATFORM_PLUGIN = "qxcb"
REPORT_FILE = "selftest.txt"


def run(temp_home: bool, db_path: Path | None, report_path: Path | None) -> int:
    """Run the self-test, print or save the report, and return the exit status (0 passed, 1 failed)."""
    from core.logsetup import configure_logging
    from core.paths import logs_dir
    from core.selftest import SelftestOptions, run_selftest, temporary_home

    # Resolved before a temporary home replaces the user data folder.
    if report_path is None and sys.stdout is None:
        report_path = logs_dir() / REPORT_FILE
    configure_logging(0, console=sys.stderr is not None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with temporary_home() if temp_home else contextlib.nullcontext():
        report = run_selftest(
            SelftestOptions(db_path=db_path), extra_checks=[("qt", check_qt)], extra_versions=qt_versions()
        )
    text = "\n".join(report.lines())
    if sys.stdout is not None:
        print(text, flush=True)
    if report_path is not None:
        report_path.write_text(text + "\n", encoding="utf-8")
    return 0 if report.ok else 1


def check_qt() -> str:
    """Start a QApplication, import the main window's modules and look for the native platform plugin."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo, qVersion
    from PySide6.QtWidgets import QApplication

    from core.selftest import CheckFailed

    app = QApplication.instance() or QApplication(["bankcode-gui"])
    import desktop.main_window  # noqa: F401  (fails here when a GUI module was left out of the bundle)

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    plugins = sorted(path.stem.removeprefix("lib") for path in folder.glob("*") if path.is_file())
    native = NATIVE_PLATFORM_PLUGIN.get(sys.platform, DEFAULT_PLATFORM_PLUGIN)
    if native not in plugins:
        raise CheckFailed(
            tr(
                "selftest.qt_missing_plugin",
                plugin=native,
                folder=str(folder),
                plugins=", ".join(plugins) or "-",
            )
        )
    return tr(
        "selftest.qt_ok",
        qt=qVersion(),
        pyside=PySide6.__version__,
        platform=app.platformName(),
        plugins=", ".join(plugins),
    )


def qt_versions() -> dict[str, str]:
    try:
        import PySide6
        from PySide6.QtCore import qVersion
    except ImportError as error:
        return {"Qt": tr("selftest.missing", detail=str(error))}
    return {"Qt": f"{qVersion()} (PySide6 {PySide6.__version__})"}
