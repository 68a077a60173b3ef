"""The fixed regression set of a directory and the metrics a learning round compares.

The regression set is drawn once per directory version and stored beside the models
as ``regression/<fingerprint>.jsonl``, where the fingerprint hashes every code and
name of the directory. Every learning round on the same directory is therefore scored
on the same queries, and a new import starts a new set. A query is one rule variant
(never the official name) of a seeded random branch, with its spans and its code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.augment.generate import read_branches
from core.augment.llm import branch_seed
from core.augment.options import RULE_KINDS
from core.augment.profile import ProfileBuilder
from core.augment.rules import rule_samples
from core.augment.samples import Sample
from core.errors import InvalidQueryError
from core.names.gazetteer import Gazetteer, read_city_table
from core.ner.dataset import example_from_record
from core.ner.metrics import evaluate_extractor

logger = logging.getLogger(__name__)

REGRESSION_DIR = "regression"
# Fixed, so the set is the same on every workstation with the same directory.
REGRESSION_SEED = 20261204
_QUERY_KINDS = tuple(kind for kind in RULE_KINDS if kind != "official")


@dataclass(frozen=True)
class RoundMetrics:
    """Scores of one model, with aliases ignored so that only the model and the matcher count."""

    entity_f1: float  # on the regression queries' spans
    regression_top1: float  # share of regression queries whose first candidate is the right code
    corrected_top1: float  # the same over the corrected queries
    regression_queries: int
    corrected_queries: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def directory_fingerprint(directory: Any) -> str:
    """Return 16 hex digits of a SHA-256 over every (code, name) of the directory, in code order."""
    digest = hashlib.sha256()
    for code, name in directory.db.execute("SELECT cnaps_code, name FROM branches ORDER BY cnaps_code"):
        digest.update(f"{code}\t{name}\n".encode())
    return digest.hexdigest()[:16]


def regression_set(directory: Any, models_root: Path, size: int = 400) -> tuple[Path, list[Sample]]:
    """Return the path and samples of this directory's regression set, drawing it on first use.

    ``size`` applies only when the set is drawn; a stored set is returned as it is.
    """
    path = Path(models_root) / REGRESSION_DIR / f"{directory_fingerprint(directory)}.jsonl"
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        return path, [json.loads(line) for line in lines if line.strip()]

    branches = read_branches(directory)
    rng = random.Random(REGRESSION_SEED)
    drawn = sorted(rng.sample(branches, min(size, len(branches))), key=lambda branch: branch.cnaps_code)
    gazetteer = Gazetteer.build(read_city_table(), (branch.name for branch in branches))
    builder = ProfileBuilder(gazetteer)
    samples: list[Sample] = []
    for branch in drawn:
        profile = builder.build(branch.cnaps_code, branch.name, branch.city_name, branch.province_name)
        variants = rule_samples(
            profile, 1, _QUERY_KINDS, random.Random(branch_seed(REGRESSION_SEED, branch.cnaps_code))
        )
        samples.extend(variants[:1])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".partial")
    temporary.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in samples), encoding="utf-8")
    temporary.replace(path)
    logger.info("drew regression set %s: %d queries of %d branches", path, len(samples), len(branches))
    return path, samples


def evaluate_round(
    engine: Any, extractor: Any, regression: list[Sample], corrected: list[tuple[str, str]]
) -> RoundMetrics:
    """Score ``extractor`` alone (entity F1) and inside ``engine`` (top-1), without aliases.

    ``engine`` is a ``LookupEngine`` over the directory; its extractor and aliases are
    swapped for the duration and restored afterwards. ``corrected`` lists (query, code).
    """
    examples = [example_from_record(sample) for sample in regression]
    entity_f1 = evaluate_extractor(extractor, examples).f1 if examples else 0.0
    saved_extractor, saved_aliases = engine.extractor, engine.aliases
    engine.extractor, engine.aliases = extractor, {}
    try:
        regression_top1 = _top1(engine, [(sample["text"], sample["cnaps_code"]) for sample in regression])
        corrected_top1 = _top1(engine, corrected)
    finally:
        engine.extractor, engine.aliases = saved_extractor, saved_aliases
    return RoundMetrics(entity_f1, regression_top1, corrected_top1, len(regression), len(corrected))


def _top1(engine: Any, pairs: list[tuple[str, str]]) -> float:
    if not pairs:
        return 0.0
    right = 0
    for text, code in pairs:
        try:
            result = engine.lookup(text, top=1)
        except InvalidQueryError:
            continue
        if result.candidates and result.candidates[0].cnaps_code == code:
            right += 1
    return right / len(pairs)
