"""Build a lookup engine for one thread: its own directory connection, the active NER
model when one loads, and the clerk's confidence threshold.

The lookup thread and the batch job each call ``open_engine``, because an SQLite
connection may only be used on the thread that opened it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.settings import AppSettings, load_settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineInfo:
    """Facts about a loaded engine, shown in the status bar and in 关于."""

    db_path: str
    branch_count: int
    extractor: str  # "rules" or "model"
    model_version: str  # "" when the rules extract entities
    model_error: str  # why the active model did not load; "" when it did or none is active
    threshold: float | None
    load_s: float
    last_import: str = ""  # "file name (finished at, UTC)" of the newest import; "" when unknown


@dataclass
class OpenEngine:
    directory: Any  # core.store.Directory
    engine: Any  # core.lookup.LookupEngine
    settings: AppSettings
    info: EngineInfo

    def close(self) -> None:
        close = getattr(self.directory, "close", None)
        if close is not None:
            close()


def open_engine(db_path: Path | None) -> OpenEngine:
    """Open the directory and build the engine on the calling thread."""
    from core.lookup.engine import LookupEngine
    from core.store import open_directory

    started = time.perf_counter()
    directory = open_directory(db_path)
    settings = load_settings(directory.db)
    extractor, model_version, model_error = _load_extractor(settings)
    engine = LookupEngine(directory, extractor=extractor, threshold=settings.confidence_threshold)
    info = EngineInfo(
        db_path=str(directory.path),
        branch_count=directory.count(),
        extractor="model" if extractor is not None else "rules",
        model_version=model_version,
        model_error=model_error,
        threshold=settings.confidence_threshold,
        load_s=time.perf_counter() - started,
        last_import=_last_import(directory),
    )
    logger.info(
        "engine ready in %.2f s: %d branches, extractor %s %s",
        info.load_s,
        info.branch_count,
        info.extractor,
        model_version,
    )
    return OpenEngine(directory, engine, settings, info)


def _last_import(directory: Any) -> str:
    row = directory.db.execute(
        "select file_name, finished_at from imports where finished_at is not null order by id desc limit 1"
    ).fetchone()
    return f"{row[0]} ({row[1]})" if row else ""


def _load_extractor(settings: AppSettings) -> tuple[Any, str, str]:
    """Return (extractor or None for the rules, model version, Chinese error text)."""
    from core.errors import BankcodeError
    from core.i18n import describe_error
    from core.ner.registry import active_model
    from core.ner.runtime import NerModel, NerOptions

    try:
        info = active_model()
        if info is None:
            return None, "", ""
        model = NerModel(info.path, NerOptions(intra_threads=settings.cpu_threads))
    except BankcodeError as error:
        # A broken model must not stop lookups: the rules take over and the status bar shows why.
        logger.warning("active NER model failed to load, using the rules: %s", error)
        return None, "", describe_error(error)
    return model, info.version, ""
