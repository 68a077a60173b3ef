"""Directory operations: import a 行号 file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from core.i18n import tr
from core.jobs import Progress
from desktop.jobs import Changes, Job, JobHost

# The dialog lists at most this many changed rows; the counts cover all of them.
CHANGES_SHOWN = 5000


@dataclass(frozen=True)
class ImportOutcome:
    """An import's summary with its rows of ``directory_changes`` and the new branch count."""

    summary: Any  # core.store ImportSummary
    changes: list[dict[str, Any]]
    branch_count: int


def import_directory_file(
    parent: QWidget,
    host: JobHost,
    db_path: Path | None,
    file_path: Path,
    mode: str,
    on_done: Callable[[ImportOutcome], None],
    max_removed_share: float | None = None,
) -> Job[ImportOutcome]:
    """Import ``file_path`` into the directory in ``mode`` ("replace" or "merge").

    ``max_removed_share`` is passed on to ``core.store.import_directory``: a replace
    that would remove more than this share of the branches fails with an
    ``ImportFileError`` keyed ``store.error_large_removal`` and changes nothing.
    """

    def work(progress: Progress) -> ImportOutcome:
        from core.store import import_directory, open_directory

        directory = open_directory(db_path)
        try:
            summary = import_directory(
                directory, file_path, mode=mode, progress=progress, max_removed_share=max_removed_share
            )
            changes = _changes_of(directory, getattr(summary, "import_id", None))
            return ImportOutcome(summary, changes, directory.count())
        finally:
            directory.close()

    job = Job(parent, host, work, title=tr("gui.job.import"), changes=Changes(directory=True))
    return job.success(on_done).run()


def _changes_of(directory: Any, import_id: int | None) -> list[dict[str, Any]]:
    if import_id is None or "directory_changes" not in directory.db.table_names():
        return []
    rows = directory.db.execute(
        "select change, cnaps_code, old_name, new_name from directory_changes "
        "where import_id = ? order by change, cnaps_code limit ?",
        [import_id, CHANGES_SHOWN],
    ).fetchall()
    return [dict(zip(("change", "cnaps_code", "old_name", "new_name"), row, strict=True)) for row in rows]
