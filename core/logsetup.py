"""Logging set-up for the entry points (CLI, GUI, frozen app); the library never calls it."""

from __future__ import annotations

import logging
import logging.handlers

from core.paths import logs_dir


def configure_logging(verbosity: int = 0, console: bool = True) -> None:
    """Log to a rotating file in the user data folder, and ERROR+ (INFO with -v) to stderr.

    Warnings stay off the console by default: they report inputs that were
    corrected, which the commands already tell the user in Chinese.
    """
    root = logging.getLogger()
    if getattr(root, "_bankcode_configured", False):
        return
    root.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        file_handler = logging.handlers.RotatingFileHandler(
            logs_dir() / "bankcode.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        file_handler = None  # a read-only profile must not stop a lookup
    if file_handler is not None:
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    if console:
        stream = logging.StreamHandler()
        if verbosity == 0:
            stream.setLevel(logging.ERROR)
        elif verbosity == 1:
            stream.setLevel(logging.INFO)
        else:
            stream.setLevel(logging.DEBUG)
        stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    root._bankcode_configured = True  # type: ignore[attr-defined]
