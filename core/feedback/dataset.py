"""The data folder of one learning round: feedback samples mixed with a replay of old data.

``train.jsonl`` contains each feedback sample ``weight`` times plus a replay sample: lines
of the active model's own training data when its folder still exists, otherwise fresh
rule variants of randomly drawn branches. Replaying old data keeps a model that
continues training on a few corrections from forgetting everything else. ``dev.jsonl``
is drawn from the replay, ``test.jsonl`` is the directory's regression set.
"""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.augment.generate import read_branches
from core.augment.llm import branch_seed
from core.augment.profile import ProfileBuilder
from core.augment.rules import rule_samples
from core.augment.samples import Sample
from core.errors import FeedbackError
from core.feedback.samples import FeedbackSampleOptions, correction_cases, feedback_samples
from core.jobs import Progress
from core.names.gazetteer import Gazetteer, read_city_table

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class FeedbackDataOptions:
    """Settings of one feedback data folder."""

    samples: FeedbackSampleOptions = field(default_factory=FeedbackSampleOptions)
    # Old samples mixed into the training split.
    replay_size: int = 2000
    # Replay samples held out as the dev split, which picks the best checkpoint.
    dev_size: int = 300


@dataclass(frozen=True)
class FeedbackDataset:
    """The counts and sources of a folder written by ``build_feedback_dataset``."""

    path: Path
    corrected_texts: int
    feedback_samples: int  # distinct samples, before repetition
    feedback_lines: int  # training lines they fill, with repetition
    replay_samples: int
    replay_source: str  # the old data folder, or "rules" when it was regenerated
    dev_samples: int
    test_samples: int
    counts_by_kind: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        return data


def build_feedback_dataset(
    directory: Any,
    out_dir: Path,
    options: FeedbackDataOptions,
    regression: list[Sample],
    *,
    old_data_dir: Path | None = None,
    progress: Progress | None = None,
) -> FeedbackDataset:
    """Write the folder for one learning round to ``out_dir``; raise ``FeedbackError`` without corrections."""
    cases = correction_cases(directory, options.samples.logged_confusables)
    if not cases:
        raise FeedbackError(
            "there are no active corrections to learn from; correct some lookups first",
            key="feedback.error_no_corrections",
        )
    weighted = feedback_samples(directory, cases, options.samples, progress)
    regression_codes = {sample["cnaps_code"] for sample in regression}
    replay, replay_source = _replay(directory, options, regression_codes, old_data_dir)
    rng = random.Random(options.samples.augment.seed)
    rng.shuffle(replay)
    # A small old data folder must still leave most of its lines for training.
    dev_count = min(options.dev_size, len(replay) // 5)
    dev, replay_train = replay[:dev_count], replay[dev_count:]

    train: list[Sample] = []
    for sample in weighted:
        weight = int(sample.get("weight", 1))  # type: ignore[misc]
        train.extend([sample] * max(1, weight))
    feedback_lines = len(train)
    train.extend(replay_train)
    rng.shuffle(train)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for split, rows in (("train", train), ("dev", dev or train[:50]), ("test", regression)):
        _write_jsonl(out_dir / f"{split}.jsonl", rows)
    result = FeedbackDataset(
        path=out_dir,
        corrected_texts=len(cases),
        feedback_samples=len(weighted),
        feedback_lines=feedback_lines,
        replay_samples=len(replay_train),
        replay_source=replay_source,
        dev_samples=len(dev),
        test_samples=len(regression),
        counts_by_kind=dict(sorted(Counter(sample["kind"] for sample in weighted).items())),
    )
    record = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"), "feedback": result.as_dict()}
    (out_dir / MANIFEST_NAME).write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    logger.info(
        "feedback data in %s: %d corrected texts, %d samples (%d lines), %d replay from %s",
        out_dir,
        len(cases),
        len(weighted),
        feedback_lines,
        len(replay_train),
        replay_source,
    )
    return result


def _replay(
    directory: Any, options: FeedbackDataOptions, excluded: set[str], old_data_dir: Path | None
) -> tuple[list[Sample], str]:
    wanted = options.replay_size + options.dev_size
    if old_data_dir is not None and (Path(old_data_dir) / "train.jsonl").is_file():
        lines = (Path(old_data_dir) / "train.jsonl").read_text(encoding="utf-8").splitlines()
        rng = random.Random(options.samples.augment.seed)
        chosen = rng.sample(lines, min(wanted, len(lines)))
        return [json.loads(line) for line in chosen if line.strip()], str(old_data_dir)

    augment = options.samples.augment
    branches = [branch for branch in read_branches(directory) if branch.cnaps_code not in excluded]
    per_branch = max(1, min(augment.per_branch, 4))
    rng = random.Random(augment.seed)
    drawn = rng.sample(branches, min(len(branches), -(-wanted // per_branch)))
    gazetteer = Gazetteer.build(read_city_table(), (branch.name for branch in drawn))
    builder = ProfileBuilder(gazetteer)
    samples: list[Sample] = []
    for branch in drawn:
        profile = builder.build(branch.cnaps_code, branch.name, branch.city_name, branch.province_name)
        branch_rng = random.Random(branch_seed(augment.seed, branch.cnaps_code))
        samples.extend(rule_samples(profile, per_branch, augment.kinds, branch_rng))
    return samples[:wanted], "rules"


def _write_jsonl(path: Path, rows: list[Sample]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
