"""Entry script of the frozen app: one program, two executables.

PyInstaller builds ``bankcode-gui`` (no console window on Windows) and ``bankcode``
(console) from this one script, so the app is analysed once; the executable's name
picks the desktop window or the command line.
"""

import multiprocessing
import sys
from pathlib import Path


def main() -> None:
    # Needed before anything else in a frozen Windows program that may start worker processes.
    multiprocessing.freeze_support()
    if Path(sys.executable).stem.lower().startswith("bankcode-gui"):
        from desktop.app import main as gui_main

        sys.exit(gui_main())
    from core.cli.main import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
