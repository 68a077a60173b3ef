"""Print the NER runtime's latency, throughput, memory and (optionally) test-split scores.

    .venv/bin/python build/bench_ner.py [--model DIR] [--threads 1] [--queries FILE] [--data DIR]

--model defaults to the active model; --queries is a JSONL file with a "query" or "text"
field per line (default: 2,000 rule-built queries from the demo directory); --data scores
the model on DIR/test.jsonl. Latency is measured one query at a time, as the lookup calls it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model folder (default: the active model)")
    parser.add_argument("--threads", type=int, default=1, help="CTranslate2 intra_threads")
    parser.add_argument("--queries", type=Path, help="JSONL file of queries")
    parser.add_argument("--data", type=Path, help="data folder whose test.jsonl is scored")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the queries")
    arguments = parser.parse_args()

    process = psutil.Process(os.getpid())
    rss_before = process.memory_info().rss
    started = time.perf_counter()
    from core.ner.registry import active_model
    from core.ner.runtime import NerModel, NerOptions

    path = arguments.model or (active_model().path if active_model() else None)
    if path is None:
        raise SystemExit("no active model; pass --model DIR")
    model = NerModel(path, NerOptions(intra_threads=arguments.threads))
    load_s = time.perf_counter() - started
    model.extract("预热")
    rss_loaded = process.memory_info().rss

    queries = load_queries(arguments.queries)
    timings = []
    for _ in range(arguments.repeat):
        for query in queries:
            began = time.perf_counter()
            model.extract(query)
            timings.append((time.perf_counter() - began) * 1000)
    timings.sort()

    began = time.perf_counter()
    for offset in range(0, len(queries), 64):
        model.extract_batch(queries[offset : offset + 64])
    batch_rate = len(queries) / (time.perf_counter() - began)

    print(f"model            {path} (version {model.version})")
    print(f"threads          intra {arguments.threads}; CPU count {os.cpu_count()}")
    print(f"load             {load_s:.2f} s (imports included)")
    print(
        f"RSS              {rss_before / 2**20:.0f} MiB before import, "
        f"{rss_loaded / 2**20:.0f} MiB with the model loaded"
    )
    print(
        f"queries          {len(timings):,} single-query calls, "
        f"mean {statistics.fmean(len(query) for query in queries):.1f} chars"
    )
    print(
        f"latency ms       p50 {percentile(timings, 50):.2f}  p90 {percentile(timings, 90):.2f}  "
        f"p99 {percentile(timings, 99):.2f}  max {timings[-1]:.2f}"
    )
    print(f"batch of 64      {batch_rate:,.0f} queries/s")
    print(f"RSS after runs   {process.memory_info().rss / 2**20:.0f} MiB")

    if arguments.data:
        from core.ner.dataset import read_split
        from core.ner.metrics import evaluate_extractor

        metrics = evaluate_extractor(model, read_split(arguments.data, "test"))
        print(
            f"test entity F1   {metrics.f1:.4f} (P {metrics.precision:.4f}, R {metrics.recall:.4f}, "
            f"{metrics.support:,} entities)"
        )
        for label, scores in sorted(metrics.per_label.items()):
            print(f"  {label:<7}        F1 {scores.f1:.4f} ({scores.support:,} entities)")
        print_scores_by_kind(model, arguments.data / "test.jsonl")


def print_scores_by_kind(model, path: Path) -> None:
    """Print entity F1 per ``kind`` of query (official, typo, ...) when the data records one."""
    from collections import defaultdict

    from core.ner.dataset import example_from_record
    from core.ner.metrics import score_entities

    by_kind: dict[str, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                by_kind[record.get("kind") or "unknown"].append(record)
    for kind, records in sorted(by_kind.items()):
        # Scored on normalized text, like the whole split above.
        examples = [example_from_record(record) for record in records]
        texts = [example.text for example in examples]
        gold = [example.entities for example in examples]
        metrics = score_entities(texts, gold, model.extract_batch(texts))
        print(f"  kind {kind:<14} F1 {metrics.f1:.4f} ({len(records):,} queries)")


def load_queries(path: Path | None) -> list[str]:
    if path is not None:
        with path.open(encoding="utf-8") as handle:
            records = [json.loads(line) for line in handle if line.strip()]
        return [record.get("query") or record["text"] for record in records]
    import csv

    from core import paths
    from core.ner.simple_data import make_queries

    rng = random.Random(5)
    with (paths.PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    queries = [record["text"] for name in rng.sample(names, 1000) for record in make_queries(name, rng)]
    return queries[:2000]


def percentile(sorted_values: list[float], percent: float) -> float:
    index = min(len(sorted_values) - 1, round(percent / 100 * (len(sorted_values) - 1)))
    return sorted_values[index]


if __name__ == "__main__":
    main()
