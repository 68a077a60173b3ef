"""Writing a training data folder: train/dev/test JSONL split by branch, a manifest, an export.

Folder layout::

    train.jsonl, dev.jsonl, test.jsonl   one sample per line (see samples.py)
    manifest.json                        counts, seed, model and prompt version, timings
    export/{train,dev,test}.jsonl        the same samples in the shape people read:
        {"user_input", "entities": {"bank_name", "location", "branch_name"},
         "standard_answer": "<official name>: <code>"}

Every sample of one branch lands in one split, so dev and test measure branches the
model has never seen. The folder is written beside its target under a temporary
name and renamed into place, so a crash or a cancel leaves either the old folder or
the complete new one.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.augment.generate import GenerationResult, generate_samples
from core.augment.options import AugmentOptions
from core.augment.samples import Sample, label_texts
from core.errors import DatasetError
from core.jobs import Progress

if TYPE_CHECKING:
    from core.store import Directory

logger = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")
MANIFEST_NAME = "manifest.json"
EXPORT_DIR = "export"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class DatasetManifest:
    """The contents and provenance of a data folder, stored as ``manifest.json``."""

    path: Path
    created_at: str  # ISO 8601, UTC
    seed: int
    directory_branch_count: int  # branches in the directory at generation time
    branches_used: int  # branches that have samples
    samples: int
    splits: dict[str, dict[str, int]]  # split -> {"samples", "branches"}
    counts_by_kind: dict[str, int]
    counts_by_source: dict[str, int]
    rules: dict[str, float]  # {"samples", "seconds", "samples_per_s", "cpu_seconds", "samples_per_cpu_s"}
    model_file: str | None = None  # the GGUF file name; None without the LLM stage
    model_sha256: str | None = None
    prompt_version: str | None = None
    llm: dict[str, Any] | None = None  # LLMReport.as_dict()
    options: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("path")
        return data


def build_dataset(
    directory: Directory, out_dir: Path, options: AugmentOptions, progress: Progress | None = None
) -> DatasetManifest:
    """Generate samples from ``directory`` (a ``core.store.Directory``) and write them to ``out_dir``.

    An existing data folder at ``out_dir`` is replaced; any other existing, non-empty
    folder raises ``DatasetError``. Raises ``Cancelled`` when ``progress`` is
    cancelled, leaving ``out_dir`` as it was.
    """
    out_dir = Path(out_dir)
    recover_interrupted_write(out_dir)
    _check_target(out_dir)
    result = generate_samples(directory, options, progress)

    if progress is not None:
        progress.start_stage("write", total=len(SPLITS))
    splits = split_by_branch(result.samples, options)
    manifest = _manifest(out_dir, result, splits, options)
    _write_atomically(out_dir, splits, result.names, manifest, progress)
    logger.info(
        "wrote %d samples of %d branches to %s (train %d, dev %d, test %d)",
        manifest.samples,
        manifest.branches_used,
        out_dir,
        manifest.splits["train"]["samples"],
        manifest.splits["dev"]["samples"],
        manifest.splits["test"]["samples"],
    )
    return manifest


def split_by_branch(samples: Iterable[Sample], options: AugmentOptions) -> dict[str, list[Sample]]:
    """Assign each branch, with all its samples, to one split; shuffle each split.

    Branches are shuffled with the seed and cut by ``dev_fraction`` and ``test_fraction``.
    """
    by_code: dict[str, list[Sample]] = {}
    for sample in samples:
        by_code.setdefault(sample["cnaps_code"], []).append(sample)
    codes = sorted(by_code)
    rng = random.Random(options.seed)
    rng.shuffle(codes)
    test_count = round(len(codes) * options.test_fraction)
    dev_count = round(len(codes) * options.dev_fraction)
    assignment = {
        "test": codes[:test_count],
        "dev": codes[test_count : test_count + dev_count],
        "train": codes[test_count + dev_count :],
    }
    splits: dict[str, list[Sample]] = {}
    for split in SPLITS:
        split_samples = [sample for code in assignment[split] for sample in by_code[code]]
        rng.shuffle(split_samples)
        splits[split] = split_samples
    return splits


def export_record(sample: Sample, official_name: str) -> dict[str, Any]:
    """Convert ``sample`` to the readable shape: the input, its entities and the expected result."""
    return {
        "user_input": sample["text"],
        "entities": {
            "bank_name": "".join(label_texts(sample, "BANK")),
            "location": "".join(label_texts(sample, "LOC")),
            "branch_name": "".join(label_texts(sample, "BRANCH")),
        },
        "standard_answer": f"{official_name}: {sample['cnaps_code']}",
    }


def read_manifest(data_dir: Path) -> dict[str, Any]:
    path = Path(data_dir) / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DatasetError(
            f"{data_dir} has no {MANIFEST_NAME}; generate data with `bankcode augment`", path=str(data_dir)
        ) from error
    except (OSError, ValueError) as error:
        raise DatasetError(f"manifest {path} cannot be read: {error}", path=str(path)) from error


def recover_interrupted_write(out_dir: Path) -> None:
    """Undo what a process killed inside ``_write_atomically`` left beside ``out_dir``.

    A kill between its two renames leaves no ``out_dir`` and the old folder under
    ``.NAME.previous-*``, which is renamed back. Leftover ``.NAME.partial-*`` and
    ``.NAME.previous-*`` folders are deleted. Two builds into one folder at once
    are not supported: the second one deletes the first one's partial folder.
    """
    parent = out_dir.parent
    if not parent.is_dir():
        return
    previous = sorted(parent.glob(f".{out_dir.name}.previous-*"), key=lambda path: path.stat().st_mtime)
    if previous and not out_dir.exists() and (previous[-1] / MANIFEST_NAME).is_file():
        os.replace(previous.pop(), out_dir)
        logger.warning("restored %s after an interrupted write", out_dir)
    for leftover in [*previous, *parent.glob(f".{out_dir.name}.partial-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
        logger.info("removed %s, left by an interrupted write", leftover)


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise DatasetError(f"output path {out_dir} is a file; choose a folder", path=str(out_dir))
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / MANIFEST_NAME).is_file():
        raise DatasetError(
            f"output folder {out_dir} is not empty and contains no dataset; choose an empty or new folder",
            path=str(out_dir),
        )


def _manifest(
    out_dir: Path, result: GenerationResult, splits: dict[str, list[Sample]], options: AugmentOptions
) -> DatasetManifest:
    all_samples = [sample for split in SPLITS for sample in splits[split]]
    rules_rate = result.rule_sample_count / result.rules_seconds if result.rules_seconds else 0.0
    rules_cpu_rate = result.rule_sample_count / result.rules_cpu_seconds if result.rules_cpu_seconds else 0.0
    report = result.llm
    return DatasetManifest(
        path=out_dir,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seed=options.seed,
        directory_branch_count=result.directory_branch_count,
        branches_used=len({sample["cnaps_code"] for sample in all_samples}),
        samples=len(all_samples),
        splits={
            split: {"samples": len(splits[split]), "branches": len({s["cnaps_code"] for s in splits[split]})}
            for split in SPLITS
        },
        counts_by_kind=dict(sorted(Counter(sample["kind"] for sample in all_samples).items())),
        counts_by_source=dict(sorted(Counter(sample["source"] for sample in all_samples).items())),
        rules={
            "samples": result.rule_sample_count,
            "seconds": round(result.rules_seconds, 3),
            "samples_per_s": round(rules_rate, 1),
            "cpu_seconds": round(result.rules_cpu_seconds, 3),
            "samples_per_cpu_s": round(rules_cpu_rate, 1),
        },
        model_file=report.model_file if report else None,
        model_sha256=report.model_sha256 if report else None,
        prompt_version=report.prompt_version if report else None,
        llm=report.as_dict() if report else None,
        options=_options_record(options),
    )


def _options_record(options: AugmentOptions) -> dict[str, Any]:
    record = asdict(options)
    for key, value in record.items():
        if isinstance(value, Path):
            record[key] = str(value)
        elif isinstance(value, tuple):
            record[key] = list(value)
    return record


def _write_atomically(
    out_dir: Path,
    splits: dict[str, list[Sample]],
    names: dict[str, str],
    manifest: DatasetManifest,
    progress: Progress | None,
) -> None:
    """Write the folder under a temporary name beside ``out_dir``, then swap it in."""
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{out_dir.name}.partial-{uuid.uuid4().hex[:8]}"
    previous = parent / f".{out_dir.name}.previous-{uuid.uuid4().hex[:8]}"
    started = time.perf_counter()
    try:
        staging.mkdir()
        (staging / EXPORT_DIR).mkdir()
        for split in SPLITS:
            _write_jsonl(staging / f"{split}.jsonl", splits[split])
            _write_jsonl(
                staging / EXPORT_DIR / f"{split}.jsonl",
                (export_record(sample, names.get(sample["cnaps_code"], "")) for sample in splits[split]),
            )
            if progress is not None:
                progress.advance()
        (staging / MANIFEST_NAME).write_text(
            json.dumps(manifest.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if out_dir.exists():
            os.replace(out_dir, previous)
        os.replace(staging, out_dir)
    except OSError as error:
        if previous.exists() and not out_dir.exists():
            os.replace(previous, out_dir)
        raise DatasetError(f"could not write the dataset to {out_dir}: {error}", path=str(out_dir)) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(previous, ignore_errors=True)
    logger.info("wrote %s in %.2f s", out_dir, time.perf_counter() - started)


def _write_jsonl(path: Path, records: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
