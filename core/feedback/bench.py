"""Measure one learning round on a labelled query file; prints figures, changes no user data.

    python -m core.feedback.bench --queries QUERIES.jsonl --models MODELS_DIR [--db DB] [--epochs N]

The query file has one ``{"query", "cnaps_code"}`` object per line. The directory
database and the model registry are copied to a temporary folder first. Queries
whose first candidate is wrong under the active model are split in two: the first
half is recorded as corrections, the second is held out. The round then runs, and
the script prints top-1 (first candidate, aliases ignored unless stated) on the
corrected, the held-out and all queries, before and after, plus the round's own
regression metrics.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
from pathlib import Path

from core.feedback.learn import LearnOptions, learn_from_feedback
from core.feedback.record import apply_correction
from core.ner.registry import ModelRegistry

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--models", type=Path, required=True, help="registry folder with an active model")
    parser.add_argument("--db", type=Path, help="directory database; default: a new demo database")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from core.lookup.engine import LookupEngine
    from core.ner.runtime import NerModel, NerOptions
    from core.store import open_directory

    work = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    shutil.copytree(args.models, work / "models")
    registry = ModelRegistry(work / "models")
    db_path = work / "directory.sqlite"
    if args.db is not None:
        shutil.copyfile(args.db, db_path)
    pairs = [
        (record["query"], record["cnaps_code"])
        for record in map(json.loads, args.queries.read_text(encoding="utf-8").splitlines())
        if record.get("cnaps_code")
    ]
    with open_directory(db_path) as directory:
        engine = LookupEngine(directory)
        model_options = NerOptions(intra_threads=args.threads)
        engine.extractor = NerModel(registry.active_model().path, model_options)
        wrong = [
            (query, code, answer) for query, code, answer in _first_codes(engine, pairs) if answer != code
        ]
        corrected, held_out = wrong[: len(wrong) // 2], wrong[len(wrong) // 2 :]
        for query, code, answer in corrected:
            apply_correction(directory, query, code, answer)
        engine.reload_aliases()
        with_aliases = _top1(engine, [(query, code) for query, code, _ in corrected], keep_aliases=True)

        before = _scores(engine, pairs, corrected, held_out)
        options = LearnOptions(train=LearnOptions().train.replace(epochs=args.epochs, threads=args.threads))
        report = learn_from_feedback(directory, options, registry=registry)
        engine.extractor = NerModel(_model_path(registry, report.version), model_options)
        after = _scores(engine, pairs, corrected, held_out)

    print(
        f"queries with a code: {len(pairs)}; wrong first candidate: {len(wrong)} "
        f"({len(corrected)} corrected, {len(held_out)} held out)"
    )
    print(f"corrected queries with aliases: top-1 {with_aliases:.1%}")
    for name in ("corrected", "held_out", "all"):
        print(f"{name:>10} top-1 without aliases: {before[name]:.1%} -> {after[name]:.1%}")
    print(
        f"round: entity F1 {report.before.entity_f1:.4f} -> {report.after.entity_f1:.4f}, "
        f"regression top-1 {report.before.regression_top1:.1%} -> {report.after.regression_top1:.1%}, "
        f"corrected top-1 {report.before.corrected_top1:.1%} -> {report.after.corrected_top1:.1%}, "
        f"{'activated' if report.activated else 'not activated'}, {report.seconds:.0f} s "
        f"({report.dataset.feedback_samples} feedback samples, {report.dataset.replay_samples} replay)"
    )
    shutil.rmtree(work, ignore_errors=True)


def _model_path(registry: ModelRegistry, version: str) -> Path:
    return next(info.path for info in registry.list_models() if info.version == version)


def _first_codes(engine, pairs):
    saved, engine.aliases = engine.aliases, {}
    try:
        for query, code in pairs:
            result = engine.lookup(query, top=1)
            yield query, code, result.candidates[0].cnaps_code if result.candidates else None
    finally:
        engine.aliases = saved


def _top1(engine, pairs, keep_aliases: bool = False) -> float:
    saved = engine.aliases
    if not keep_aliases:
        engine.aliases = {}
    try:
        right = sum(
            1
            for query, code in pairs
            if (result := engine.lookup(query, top=1)).candidates and result.candidates[0].cnaps_code == code
        )
    finally:
        engine.aliases = saved
    return right / len(pairs) if pairs else 0.0


def _scores(engine, pairs, corrected, held_out) -> dict[str, float]:
    return {
        "corrected": _top1(engine, [(query, code) for query, code, _ in corrected]),
        "held_out": _top1(engine, [(query, code) for query, code, _ in held_out]),
        "all": _top1(engine, pairs),
    }


if __name__ == "__main__":
    main()
