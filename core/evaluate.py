"""Evaluation of the lookup engine on a queries file, and of an entity extractor.

A queries file is JSON Lines, one object per line: ``{"query": ..., "cnaps_code":
"12 digits" or null, "kind": optional writing habit, "labels": optional entity
spans}``. A null ``cnaps_code`` means the branch is not in the directory, so the
right outcome is no answer. ``labels`` are ``[{"label", "start", "end"}]`` (or
``[start, end, label]`` lists) on the query text.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.errors import DatasetError, InvalidQueryError
from core.jobs import Progress
from core.results import Entity, EntityExtractor, LookupResult

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvalQuery:
    """One line of a queries file."""

    query: str
    cnaps_code: str | None
    kind: str = ""
    labels: tuple[Entity, ...] | None = None


@dataclass(frozen=True)
class KindScores:
    """Scores of the queries of one kind."""

    count: int
    top1: float
    wrong: int  # answers given that were wrong


@dataclass(frozen=True)
class EvalMiss:
    """A query whose answer was not the expected one (a wrong answer, a miss, or a false abstention)."""

    query: str
    kind: str
    expected_code: str | None
    expected_name: str
    answer_code: str | None
    answer_name: str
    confidence: float
    candidates: list[dict[str, Any]]


@dataclass
class EvalReport:
    """Figures of one evaluation run; rates are fractions in [0, 1]."""

    queries: int
    top1: float  # the answer is the expected code, or no answer for a null target
    top5: float  # the expected code is among the first five candidates (targets with a code)
    answered: float  # share of queries that got an answer
    wrong_when_answered: float  # share of answers that were wrong
    wrong_answers: int
    abstention: float  # share of null-target queries that got no answer
    null_targets: int
    latency_p50_ms: float
    latency_p95_ms: float
    latency_p99_ms: float
    latencies_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, KindScores] = field(default_factory=dict)
    entities: Any = None  # core.ner.metrics.EntityMetrics when the file has labels
    misses: list[EvalMiss] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("latencies_ms")
        data.pop("misses")
        data["entities"] = self.entities.to_dict() if self.entities is not None else None
        return data


def read_queries(path: Path) -> list[EvalQuery]:
    """Read a queries file; raises ``DatasetError`` naming the first bad line."""
    queries: list[EvalQuery] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as error:
        raise DatasetError(f"cannot read queries file {path}: {error}", path=str(path)) from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["query"]
            code = record.get("cnaps_code")
            if not isinstance(text, str) or (code is not None and not isinstance(code, str)):
                raise ValueError("query must be a string and cnaps_code a string or null")
            labels = _read_labels(text, record["labels"]) if record.get("labels") is not None else None
        except (ValueError, KeyError, TypeError) as error:
            raise DatasetError(
                f"{path} line {number} is not a valid query record ({error}); "
                'expected {"query": ..., "cnaps_code": ... or null}',
                key="lookup.eval.bad_line",
                path=str(path),
                line=number,
            ) from error
        queries.append(EvalQuery(text, code, str(record.get("kind") or ""), labels))
    return queries


def _read_labels(text: str, raw: Sequence[Any]) -> tuple[Entity, ...]:
    entities: list[Entity] = []
    for item in raw:
        if isinstance(item, dict):
            start, end, label = int(item["start"]), int(item["end"]), str(item["label"])
        else:
            start, end, label = int(item[0]), int(item[1]), str(item[2])
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}-{end} is outside the query")
        entities.append(Entity(label, start, end, text[start:end]))
    return tuple(entities)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile of ``values`` (0.0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def evaluate(engine: Any, queries: Sequence[EvalQuery], progress: Progress | None = None) -> EvalReport:
    """Run every query through ``engine`` (a ``LookupEngine``) and score the outcomes."""
    if progress is not None:
        progress.start_stage("evaluating", total=len(queries))
    results: list[LookupResult | None] = []
    for query in queries:
        try:
            results.append(engine.lookup(query.query))
        except InvalidQueryError:
            results.append(None)
        if progress is not None:
            progress.advance()
    report = score_results(engine, queries, results)
    labelled = [query for query in queries if query.labels is not None]
    if labelled:
        report.entities = evaluate_entities(engine.extractor, labelled)
    logger.info(
        "evaluated %d queries: top-1 %.1f%%, %d wrong answers, p99 %.1f ms",
        report.queries,
        report.top1 * 100,
        report.wrong_answers,
        report.latency_p99_ms,
    )
    return report


def score_results(
    engine: Any, queries: Sequence[EvalQuery], results: Sequence[LookupResult | None]
) -> EvalReport:
    correct = top5 = answered = wrong = null_targets = abstained = 0
    latencies: list[float] = []
    kinds: dict[str, list[int]] = {}  # kind -> [count, correct, wrong]
    misses: list[EvalMiss] = []
    for query, result in zip(queries, results, strict=True):
        answer = result.answer.cnaps_code if result is not None and result.answer is not None else None
        codes = [candidate.cnaps_code for candidate in result.candidates[:5]] if result is not None else []
        if result is not None:
            latencies.append(result.elapsed_ms)
        is_correct = answer == query.cnaps_code
        is_wrong = answer is not None and answer != query.cnaps_code
        correct += is_correct
        answered += answer is not None
        wrong += is_wrong
        if query.cnaps_code is None:
            null_targets += 1
            abstained += answer is None
        elif query.cnaps_code in codes:
            top5 += 1
        tally = kinds.setdefault(query.kind or "-", [0, 0, 0])
        tally[0] += 1
        tally[1] += is_correct
        tally[2] += is_wrong
        if not is_correct:
            misses.append(_miss(engine, query, result))
    count = len(queries)
    with_code = count - null_targets
    return EvalReport(
        queries=count,
        top1=correct / count if count else 0.0,
        top5=top5 / with_code if with_code else 0.0,
        answered=answered / count if count else 0.0,
        wrong_when_answered=wrong / answered if answered else 0.0,
        wrong_answers=wrong,
        abstention=abstained / null_targets if null_targets else 0.0,
        null_targets=null_targets,
        latency_p50_ms=percentile(latencies, 0.50),
        latency_p95_ms=percentile(latencies, 0.95),
        latency_p99_ms=percentile(latencies, 0.99),
        latencies_ms=latencies,
        by_kind={
            kind: KindScores(tally[0], tally[1] / tally[0], tally[2]) for kind, tally in sorted(kinds.items())
        },
        misses=misses,
    )


def _miss(engine: Any, query: EvalQuery, result: LookupResult | None) -> EvalMiss:
    expected_name = ""
    if query.cnaps_code is not None:
        row = engine.index.row_of_code.get(query.cnaps_code)
        expected_name = engine.index.names[row] if row is not None else ""
    answer = result.answer if result is not None else None
    return EvalMiss(
        query=query.query,
        kind=query.kind,
        expected_code=query.cnaps_code,
        expected_name=expected_name,
        answer_code=answer.cnaps_code if answer else None,
        answer_name=answer.name if answer else "",
        confidence=result.confidence if result is not None else 0.0,
        candidates=[
            {"cnaps_code": candidate.cnaps_code, "name": candidate.name, "score": candidate.score}
            for candidate in (result.candidates if result is not None else [])
        ],
    )


def evaluate_entities(extractor: EntityExtractor, samples: Sequence[Any]):
    """Score an extractor's entities against labelled samples (seqeval, strict spans).

    ``samples`` are ``EvalQuery`` objects with ``labels``, or dicts with ``query``
    (or ``text``) and ``labels``. The extractor reads each text as it is, so labels
    must index that text. Returns ``core.ner.metrics.EntityMetrics``.
    """
    from core.ner.metrics import score_entities

    texts: list[str] = []
    gold: list[list[Entity]] = []
    for sample in samples:
        if isinstance(sample, EvalQuery):
            texts.append(sample.query)
            gold.append(list(sample.labels or ()))
        else:
            text = sample.get("query", sample.get("text", ""))
            texts.append(text)
            gold.append(list(_read_labels(text, sample.get("labels") or [])))
    predicted = extractor.extract_batch(texts)
    return score_entities(texts, gold, predicted)


def evaluate_file(engine: Any, path: Path, progress: Progress | None = None) -> EvalReport:
    """Read a queries file and evaluate ``engine`` on it."""
    return evaluate(engine, read_queries(path), progress)


def write_misses(report: EvalReport, path: Path) -> None:
    """Write every miss as one JSON line (query, expected and returned branches)."""
    with path.open("w", encoding="utf-8") as handle:
        for miss in report.misses:
            handle.write(json.dumps(asdict(miss), ensure_ascii=False) + "\n")
