"""``bankcode train``: train, evaluate and register a new NER model."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import click

from core.cli.worker import run_in_worker
from core.i18n import tr
from core.jobs import Progress

# Seconds between two progress lines on stderr.
REPORT_INTERVAL_S = 10.0


@click.command("train", help=tr("ner.train_help"))
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=tr("ner.data_help"),
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=tr("ner.config_help"),
)
@click.option(
    "--base", type=click.Path(file_okay=False, exists=True, path_type=Path), help=tr("ner.base_help")
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=tr("ner.out_help"))
def train_command(
    data_dir: Path | None, config_file: Path | None, base: Path | None, out_dir: Path | None
) -> None:
    from core.errors import DatasetError
    from core.ner.config import TrainConfig, load_config
    from core.ner.pipeline import TrainReport, train_and_register
    from core.ner.registry import ModelRegistry, default_registry

    _quiet_transformers()
    config = load_config(config_file) if config_file else TrainConfig()
    data_dir = data_dir or _latest_dataset()
    if data_dir is None:
        raise DatasetError("no training data found; run `bankcode augment` or pass --data", key="ner.no_data")
    registry = ModelRegistry(out_dir) if out_dir else default_registry()

    progress = Progress()

    def train() -> TrainReport:
        return train_and_register(data_dir, config, base=base, progress=progress, registry=registry)

    _print_report(run_in_worker("bankcode-train", train, progress, _follow))


def _follow(worker: threading.Thread, progress: Progress) -> None:
    """Print progress until the worker ends; Ctrl-C cancels the job and waits for it to stop."""
    last_stage, last_print = "", 0.0
    try:
        while worker.is_alive():
            worker.join(timeout=0.5)
            snapshot = progress.snapshot()
            now = time.monotonic()
            if snapshot.stage != last_stage or (
                snapshot.stage == "train" and now - last_print >= REPORT_INTERVAL_S
            ):
                last_stage, last_print = snapshot.stage, now
                click.echo(_describe(snapshot), err=True)
    except KeyboardInterrupt:
        click.echo(tr("ner.cancelling"), err=True)
        progress.cancel()
        worker.join()


def _describe(snapshot) -> str:
    if snapshot.stage == "train":
        remaining = tr("ner.stage_remaining", seconds=snapshot.remaining_s) if snapshot.remaining_s else ""
        return tr(
            "ner.stage_train",
            done=snapshot.done,
            total=snapshot.total,
            elapsed=snapshot.elapsed_s,
            remaining=remaining,
        )
    return tr(f"ner.stage_{snapshot.stage}") if snapshot.stage else ""


def _print_report(report) -> None:
    metrics = report.test_metrics
    previous = report.previous_active or tr("ner.no_previous")
    click.echo(tr("ner.report_version", version=report.version, path=str(report.path)))
    click.echo(
        tr(
            "ner.report_data",
            examples=report.train_examples,
            steps=report.steps,
            seconds=report.train_seconds,
        )
    )
    click.echo(tr("ner.report_f1", f1=metrics.f1, precision=metrics.precision, recall=metrics.recall))
    for label, scores in sorted(metrics.per_label.items()):
        click.echo(tr("ner.report_label", label=label, f1=scores.f1, support=scores.support))
    if report.activated:
        click.echo(tr("ner.report_activated", previous=previous))
    else:
        click.echo(tr("ner.report_not_activated", threshold=report.min_test_f1, previous=previous))


def _latest_dataset() -> Path | None:
    """Return the most recently written data folder under the user's datasets folder."""
    from core.paths import datasets_dir

    candidates = [path.parent for path in datasets_dir().glob("*/train.jsonl")]
    return max(candidates, key=lambda path: (path / "train.jsonl").stat().st_mtime, default=None)


def _quiet_transformers() -> None:
    # The CLI prints its own progress; transformers' bars and load reports would interleave.
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
