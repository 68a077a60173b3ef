"""Entry point of the desktop app (``bankcode-gui`` and ``bankcode gui``)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Start the window on ``--db PATH`` (default: the user data folder) and run the event loop.

    ``--selftest`` checks the installation instead, before any window exists (desktop/selftest.py).
    """
    from core.i18n import tr

    parser = argparse.ArgumentParser(prog="bankcode-gui", description=tr("gui.args.description"))
    parser.add_argument("--db", type=Path, default=None, help=tr("cli.db_help"))
    parser.add_argument("-v", "--verbose", action="count", default=0, help=tr("cli.verbose_help"))
    parser.add_argument("--selftest", action="store_true", help=tr("gui.args.selftest"))
    parser.add_argument("--temp-home", action="store_true", help=tr("gui.args.temp_home"))
    parser.add_argument("--report", type=Path, default=None, help=tr("selftest.report_help"))
    args = parser.parse_args(argv)
    if args.selftest:
        from desktop import selftest

        return selftest.run(args.temp_home, args.db, args.report)
    return run(args.db, args.verbose)


def run(db_path: Path | None, verbosity: int = 0) -> int:
    from PySide6.QtWidgets import QApplication

    from core.i18n import tr
    from core.logsetup import configure_logging
    from desktop.main_window import MainWindow
    from desktop.widgets import install_qt_translations

    # No console on Windows for a gui-script, so the log file is the only record.
    configure_logging(verbosity, console=sys.stderr is not None)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("bankcode")
    app.setApplicationDisplayName(tr("gui.app.title"))
    install_qt_translations(app)
    window = MainWindow(db_path)
    window.show()
    logger.info("desktop app started on %s", db_path or "the default database")
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
