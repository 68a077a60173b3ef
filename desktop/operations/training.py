"""Training operations: generate training data, retrain the NER model, evaluate."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from core.i18n import tr
from core.jobs import Progress
from desktop.jobs import Changes, Job, JobHost


def generate_training_data(
    parent: QWidget,
    host: JobHost,
    db_path: Path | None,
    out_dir: Path,
    options: Any,
    on_done: Callable[[Any], None],
) -> Job[Any]:
    """Build a dataset folder from the directory with ``core.augment.build_dataset``."""

    def work(progress: Progress) -> Any:
        from core.augment.dataset import build_dataset
        from core.store import open_directory

        directory = open_directory(db_path)
        try:
            return build_dataset(directory, out_dir, options, progress=progress)
        finally:
            directory.close()

    return Job(parent, host, work, title=tr("gui.job.generate")).success(on_done).run()


def retrain_model(
    parent: QWidget,
    host: JobHost,
    data_dir: Path,
    config: Any,
    on_done: Callable[[Any], None],
) -> Job[Any]:
    """Train a new NER model on ``data_dir``; it becomes active only if it passes its test split.

    The lookup engine reloads only when the new model was activated.
    """

    def work(progress: Progress) -> Any:
        from core.ner.pipeline import train_and_register

        return train_and_register(data_dir, config, progress=progress)

    def done(report: Any) -> None:
        on_done(report)
        if report.activated:
            host.changed.emit(Changes(model=True))

    return Job(parent, host, work, title=tr("gui.job.retrain")).success(done).run()


def evaluate_engine(
    parent: QWidget,
    host: JobHost,
    db_path: Path | None,
    queries_path: Path,
    on_done: Callable[[Any], None],
) -> Job[Any]:
    """Evaluate the current engine (directory, active model, threshold) on a queries file."""

    def work(progress: Progress) -> Any:
        from core.evaluate import evaluate_file
        from desktop.engine import open_engine

        progress.start_stage("loading engine")
        opened = open_engine(db_path)
        try:
            return evaluate_file(opened.engine, queries_path, progress=progress)
        finally:
            opened.close()

    return Job(parent, host, work, title=tr("gui.job.evaluate")).success(on_done).run()
