"""One learning round: from the clerks' corrections to a new, checked NER model.

``learn_from_feedback`` writes the round's data folder (``core.feedback.dataset``),
continues training from the active model's torch checkpoint, and scores the active
and the new model on the directory's regression set and on the corrected queries
(``core.feedback.regression``). The new model is activated only when no metric
fell by more than ``LearnOptions.max_metric_drop``. Otherwise it stays registered
but inactive, and the active model is unchanged.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core import paths
from core.errors import FeedbackError
from core.feedback.dataset import FeedbackDataOptions, FeedbackDataset, build_feedback_dataset
from core.feedback.record import list_corrections
from core.feedback.regression import RoundMetrics, evaluate_round, regression_set
from core.jobs import Progress, check
from core.ner.config import TrainConfig
from core.ner.registry import ModelRegistry, default_registry

logger = logging.getLogger(__name__)

METRICS = ("entity_f1", "regression_top1", "corrected_top1")


def default_learn_config() -> TrainConfig:
    """Return fine-tuning settings: few epochs at a low rate, as training starts from a trained model."""
    return TrainConfig(learning_rate=1e-4, warmup_ratio=0.0, epochs=2.0, eval_steps=200, min_test_f1=0.0)


@dataclass(frozen=True)
class LearnOptions:
    """Settings of one learning round."""

    data: FeedbackDataOptions = field(default_factory=FeedbackDataOptions)
    # Training settings; the model size is the active model's, whatever is set here.
    train: TrainConfig = field(default_factory=default_learn_config)
    # The new model is activated only if no metric of METRICS fell by more than this (absolute, 0-1).
    max_metric_drop: float = 0.01
    # Queries drawn for a directory's regression set the first time it is needed.
    regression_size: int = 400
    # Where the data folder goes; None means a new folder under the user's datasets folder.
    data_dir: Path | None = None


@dataclass(frozen=True)
class LearnReport:
    """The outcome of a learning round: the data, both models' scores, and the decision."""

    dataset: FeedbackDataset
    previous_version: str
    version: str
    activated: bool
    before: RoundMetrics
    after: RoundMetrics
    # Metrics that fell by more than the margin: (name, before, after).
    dropped: tuple[tuple[str, float, float], ...]
    max_metric_drop: float
    regression_path: Path
    seconds: float


def learn_from_feedback(
    directory: Any,
    options: LearnOptions | None = None,
    *,
    progress: Progress | None = None,
    registry: ModelRegistry | None = None,
) -> LearnReport:
    """Run one learning round over ``directory``'s active corrections; see the module docstring.

    Raises ``FeedbackError`` when there are no corrections or no active model with a torch
    checkpoint, ``TrainingError`` when training fails, and ``Cancelled``.
    """
    from core.lookup.engine import LookupEngine
    from core.ner.pipeline import TORCH_DIR, train_and_register
    from core.ner.runtime import NerModel, NerOptions

    started = time.monotonic()
    options = options or LearnOptions()
    registry = registry or default_registry()
    corrections = list_corrections(directory)
    if not corrections:
        raise FeedbackError(
            "there are no active corrections to learn from; correct some lookups first",
            key="feedback.error_no_corrections",
        )
    active = registry.active_model()
    if active is None:
        raise FeedbackError(
            "no NER model is active; train one with `bankcode train` before learning from corrections"
        )
    base = active.path / TORCH_DIR
    if not (base / "config.json").is_file():
        raise FeedbackError(
            f"active NER model {active.version} has no torch checkpoint in {base}; "
            "retrain it with `bankcode train` so that training can continue from it",
            key="feedback.error_no_checkpoint",
            version=active.version,
            path=str(base),
        )

    _stage(progress, "feedback_data")
    regression_path, regression = regression_set(directory, registry.root, options.regression_size)
    data_dir = options.data_dir or paths.datasets_dir() / datetime.now().strftime("feedback-%Y%m%d-%H%M%S")
    dataset = build_feedback_dataset(
        directory,
        data_dir,
        options.data,
        regression,
        old_data_dir=_old_data_dir(active.path),
        progress=progress,
    )
    corrected = _corrected_pairs(corrections)

    _stage(progress, "evaluate_before")
    engine = LookupEngine(directory)
    model_options = NerOptions(intra_threads=options.train.threads)
    before = evaluate_round(engine, NerModel(active.path, model_options), regression, corrected)
    logger.info("before: %s", before)
    check(progress)

    # The base model has position embeddings for its own max_length only.
    config = options.train.replace(max_length=min(options.train.max_length, _max_length(active.path)))
    report = train_and_register(
        data_dir, config, base=base, progress=progress, registry=registry, activate=False
    )

    _stage(progress, "evaluate_after")
    after = evaluate_round(engine, NerModel(report.path, model_options), regression, corrected)
    logger.info("after: %s", after)
    dropped = tuple(
        (name, getattr(before, name), getattr(after, name))
        for name in METRICS
        if getattr(after, name) < getattr(before, name) - options.max_metric_drop
    )
    activated = not dropped
    if activated:
        registry.activate(report.version)
    else:
        logger.warning(
            "model %s not activated: %s fell by more than %.3f",
            report.version,
            ", ".join(name for name, _, _ in dropped),
            options.max_metric_drop,
        )
    return LearnReport(
        dataset=dataset,
        previous_version=active.version,
        version=report.version,
        activated=activated,
        before=before,
        after=after,
        dropped=dropped,
        max_metric_drop=options.max_metric_drop,
        regression_path=regression_path,
        seconds=time.monotonic() - started,
    )


def _corrected_pairs(corrections: list[Any]) -> list[tuple[str, str]]:
    """Return (query, code) per corrected text, the latest correction of each text winning."""
    from core.feedback.record import alias_key

    latest: dict[str, tuple[str, str]] = {}
    for row in reversed(corrections):
        latest[alias_key(row.query)] = (row.query, row.chosen_code)
    # chosen_name is "" once an import removed the branch, which no lookup can return.
    present = {row.chosen_code for row in corrections if row.chosen_name}
    return [(query, code) for query, code in latest.values() if code in present]


def _old_data_dir(model_path: Path) -> Path | None:
    """Return the data folder the model was trained on, from its ``manifest.json``, if it still exists."""
    import json

    manifest = model_path / "manifest.json"
    try:
        data_dir = json.loads(manifest.read_text(encoding="utf-8")).get("data_dir")
    except (OSError, ValueError):
        return None
    if data_dir and (Path(data_dir) / "train.jsonl").is_file():
        return Path(data_dir)
    return None


def _max_length(model_path: Path) -> int:
    import json

    return int(json.loads((model_path / "config.json").read_text(encoding="utf-8"))["max_length"])


def _stage(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress.start_stage(stage)
