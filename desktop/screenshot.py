"""Save a picture of the main window answering one query, for the docs.

    QT_QPA_PLATFORM=offscreen python -m desktop.screenshot docs/screenshot-main.png [QUERY] [--db PATH]

Chinese text needs a CJK font (on Debian: fonts-wqy-microhei); without one Qt draws boxes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_QUERY = "中國銀行石家莊師範街支行"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.screenshot")
    parser.add_argument("out", type=Path)
    parser.add_argument("query", nargs="?", default=DEFAULT_QUERY)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow
    from desktop.waiting import pause, wait_until
    from desktop.widgets import install_qt_translations

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)
    window = MainWindow(args.db)
    window.show()
    if not wait_until(lambda: window.lookups.ready, 60_000):
        print("the lookup engine did not load within 60 s", file=sys.stderr)
        window.close()
        return 1
    window.search.setText(args.query)
    wait_until(lambda: window.result is not None, 10_000)
    pause(300)  # let the table and the detail pane repaint
    saved = window.grab().save(str(args.out))
    window.close()
    app.processEvents()
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main())
