"""Feedback operations: one learning round from the clerks' corrections."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from core.i18n import tr
from core.jobs import Progress
from desktop.jobs import Changes, Job, JobHost


def learn_from_corrections(
    parent: QWidget,
    host: JobHost,
    db_path: Path | None,
    on_done: Callable[[Any], None],
    options: Any = None,
) -> Job[Any]:
    """Generate data around the corrections and continue training the active model.

    ``options`` is a ``core.feedback.learn.LearnOptions`` (None for the defaults). The
    lookup engine reloads only when the new model was activated.
    """

    def work(progress: Progress) -> Any:
        from core.feedback.learn import learn_from_feedback
        from core.store import open_directory

        directory = open_directory(db_path)
        try:
            return learn_from_feedback(directory, options, progress=progress)
        finally:
            directory.close()

    def done(report: Any) -> None:
        on_done(report)
        if report.activated:
            host.changed.emit(Changes(model=True))

    return Job(parent, host, work, title=tr("feedback.job_learn")).success(done).run()
