"""Batch lookup of a CSV or XLSX file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from core.batch import BatchSummary
from core.i18n import tr
from core.jobs import Progress
from desktop.engine import open_engine
from desktop.jobs import Job, JobHost


def run_batch_file(
    parent: QWidget,
    host: JobHost,
    db_path: Path | None,
    in_path: Path,
    column: str | int,
    out_path: Path,
    on_done: Callable[[BatchSummary], None],
) -> Job[BatchSummary]:
    """Look up every row of ``in_path`` and write ``out_path``; changes nothing in the directory."""

    def work(progress: Progress) -> BatchSummary:
        from core.batch import run_batch

        progress.start_stage("loading engine")
        opened = open_engine(db_path)
        try:
            return run_batch(opened.engine, in_path, column, out_path, progress=progress)
        finally:
            opened.close()

    return Job(parent, host, work, title=tr("gui.job.batch")).success(on_done).run()
