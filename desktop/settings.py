"""User settings of the desktop app, stored in the directory's ``settings`` table.

Keeping them in the database (not QSettings) means a portable install carries them
with the directory, and the CLI can read the same keys. Values are JSON text.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

KEY_PREFIX = "app."


@dataclass(frozen=True)
class AppSettings:
    """Settings the clerk can change in 设置."""

    gguf_path: str = ""  # GGUF used to generate training data; "" = the bundled Gemma 3 270M file
    cpu_threads: int = 0  # threads for the NER model and llama.cpp; 0 = the library's default
    confidence_threshold: float | None = None  # None = the engine's calibrated threshold


def load_settings(db: Any) -> AppSettings:
    """Read settings from a sqlite_utils ``Database``; unknown or bad values fall back to defaults."""
    if "settings" not in db.table_names():
        return AppSettings()
    stored = {row["key"]: row["value"] for row in db["settings"].rows}
    values: dict[str, Any] = {}
    for item in fields(AppSettings):
        raw = stored.get(KEY_PREFIX + item.name)
        if raw is None:
            continue
        try:
            values[item.name] = json.loads(raw)
        except json.JSONDecodeError:
            logger.warning("ignoring unreadable setting %s=%r", item.name, raw)
    try:
        return AppSettings(**values)
    except TypeError:
        logger.warning("ignoring settings of the wrong type: %s", values)
        return AppSettings()


def read_settings(db_path: Path | None) -> AppSettings:
    """Open the directory database at ``db_path`` (None: the default one) and load its settings."""
    from core.store import open_directory

    directory = open_directory(db_path)
    try:
        return load_settings(directory.db)
    finally:
        directory.close()


def save_settings(db: Any, settings: AppSettings) -> None:
    rows = [
        {"key": KEY_PREFIX + name, "value": json.dumps(value)} for name, value in asdict(settings).items()
    ]
    with db.conn:
        db["settings"].upsert_all(rows, pk="key")
