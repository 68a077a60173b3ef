"""Train, export, evaluate and register one NER model; the CLI and the GUI call ``train_and_register``.

The model is built in a hidden staging folder and moved into the registry only when
export and evaluation have finished, and it becomes active only when its test-split
entity F1 reaches ``config.min_test_f1``. On any failure or cancel the staging folder
is deleted and the active model stays as it was.

The best torch checkpoint stays in the model folder as ``torch/`` (``TORCH_DIR``), so
a later run can continue from this model (``base=<folder>/torch``), as the learning
round of ``core.feedback.learn`` does.
"""

from __future__ import annotations

import csv
import json
import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from core import paths
from core.errors import BankcodeError, TrainingError
from core.jobs import Progress
from core.ner.config import TrainConfig
from core.ner.dataset import read_manifest, read_split
from core.ner.metrics import EntityMetrics, evaluate_extractor
from core.ner.registry import ModelRegistry, default_registry

logger = logging.getLogger(__name__)

# The Hugging Face checkpoint kept beside the runtime files, for continued training.
TORCH_DIR = "torch"


@dataclass(frozen=True)
class TrainReport:
    """The outcome of one training run: the new model, its scores and whether it is now active."""

    version: str
    path: Path
    activated: bool
    previous_active: str | None  # the version active before this run
    test_metrics: EntityMetrics
    dev_f1: float | None
    min_test_f1: float
    train_examples: int
    steps: int
    train_seconds: float
    total_seconds: float


def train_and_register(
    data_dir: Path,
    config: TrainConfig,
    base: Path | None = None,
    progress: Progress | None = None,
    registry: ModelRegistry | None = None,
    *,
    activate: bool = True,
) -> TrainReport:
    """Train on ``data_dir`` and register the model.

    With ``activate`` False the model is registered but never activated, for a caller
    that applies its own gate (``core.feedback.learn``).

    Raises ``TrainingError``, ``DatasetError`` or ``Cancelled``.
    """
    # Imported here so that importing this module (as the GUI does) does not load torch.
    from core.ner.export import export_model
    from core.ner.runtime import NerModel, NerOptions
    from core.ner.train import build_vocab, train_model

    started = time.monotonic()
    registry = registry or default_registry()
    data_dir = Path(data_dir)
    train, dev, test = (read_split(data_dir, split) for split in ("train", "dev", "test"))
    manifest = read_manifest(data_dir)
    previous = registry.active_model()
    version = registry.new_version()
    staging = registry.staging_dir(version)
    try:
        texts = [example.text for example in train] + _directory_names()
        vocab = build_vocab(config, texts, base)
        trained = train_model(
            train, dev, config, staging / "checkpoint", vocab=vocab, base=base, progress=progress
        )
        _stage(progress, "export")
        export_model(trained, staging, version=version, config=config)
        (staging / "checkpoint").rename(staging / TORCH_DIR)

        _stage(progress, "evaluate")
        model = NerModel(staging, NerOptions(compute_type="default"))
        test_metrics = evaluate_extractor(model, test)
        del model
        _stage(progress, "register")
        _write_json(
            staging / "metrics.json",
            {
                "test": test_metrics.to_dict(),
                "dev": trained.dev_metrics.to_dict() if trained.dev_metrics else None,
                "best_step": trained.best_step,
            },
        )
        _write_json(
            staging / "manifest.json",
            {
                "data_dir": str(data_dir),
                "data_manifest": manifest,
                "examples": {"train": len(train), "dev": len(dev), "test": len(test)},
                "config": config.to_dict(),
                "base": str(base or ""),
                "steps": trained.steps,
                "train_seconds": round(trained.train_seconds, 1),
            },
        )
        path = registry.register(staging, version)
    except BankcodeError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise TrainingError(f"training on {data_dir} failed: {error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    activated = activate and test_metrics.f1 >= config.min_test_f1
    if activated:
        registry.activate(version)
    elif activate:
        logger.warning(
            "model %s not activated: test entity F1 %.4f is below %.4f",
            version,
            test_metrics.f1,
            config.min_test_f1,
        )
    report = TrainReport(
        version=version,
        path=path,
        activated=activated,
        previous_active=previous.version if previous else None,
        test_metrics=test_metrics,
        dev_f1=trained.dev_metrics.f1 if trained.dev_metrics else None,
        min_test_f1=config.min_test_f1,
        train_examples=trained.train_examples,
        steps=trained.steps,
        train_seconds=trained.train_seconds,
        total_seconds=time.monotonic() - started,
    )
    logger.info(
        "model %s: test entity F1 %.4f, %s, %.0f s in all",
        version,
        test_metrics.f1,
        "activated" if activated else "not activated",
        report.total_seconds,
    )
    return report


def _directory_names() -> list[str]:
    """Return the demo directory's official names, so the vocabulary covers their characters."""
    with (paths.PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


def _stage(progress: Progress | None, stage: str) -> None:
    if progress is not None:
        progress.start_stage(stage)


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
