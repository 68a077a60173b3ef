"""Benchmark our lookup engine against two baselines on a synthetic national directory.

The run writes a directory of ``rows`` branches, mixing the real demo rows with
generated ones so that real names have targets. It imports that file into a
temporary database and times the import. It then writes queries from known branches
(``core.bench_queries``), runs the same queries through each system in its own
worker process (``core.bench_systems``) and scores them. The report is a JSON-ready dict.

Scoring: a query is right when the system's answer is the expected code, or when it
gives no answer to a query whose branch is not in the directory. ``top1`` is right
answers over all queries. ``wrong_rate`` is wrong answers over answered queries. An
answer to an ``absent`` query is wrong.
"""

from __future__ import annotations

import csv
import json
import logging
import multiprocessing
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from core.bench_queries import BenchQuery, absent_share, make_queries
from core.bench_systems import RSS_METHOD, SYSTEMS, SystemRun, run_system
from core.jobs import Progress, check
from core.paths import PACKAGE_DATA
from core.synth import generate_directory

logger = logging.getLogger(__name__)

REPORT_VERSION = 1
# Baselines compared with the engine; "rapidfuzz_cutoff" reuses the rapidfuzz run.
BASELINES = ("rapidfuzz", "rapidfuzz_cutoff", "fts5")
DEFAULT_CUTOFF = 90.0


@dataclass(frozen=True)
class BenchOptions:
    """Settings of one benchmark run."""

    rows: int = 150_000  # branches in the imported directory
    queries: int = 500  # queries run through every system
    seed: int = 0
    # rapidfuzz's WRatio score (0-100) at and above which its best match counts as an answer.
    rapidfuzz_cutoff: float = DEFAULT_CUTOFF
    systems: tuple[str, ...] = SYSTEMS
    work_dir: Path | None = None  # where the directory file and database go; a temp folder when None


@dataclass
class _Directory:
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, origin) imported
    held_out: list[tuple[str, str, str]] = field(default_factory=list)  # left out for absent queries
    real_rows: int = 0
    synthetic_rows: int = 0
    generate_s: float = 0.0


def run_benchmark(options: BenchOptions, progress: Progress | None = None) -> dict:
    """Run the whole benchmark and return the report (see ``docs/benchmarks.md``).

    Raises ``ValueError`` for fewer than 10 rows or 1 query, and ``Cancelled`` when
    ``progress`` is cancelled.
    """
    if options.rows < 10 or options.queries < 1:
        raise ValueError(
            f"need at least 10 rows and 1 query, got rows={options.rows}, queries={options.queries}"
        )
    for system in options.systems:
        if system not in SYSTEMS:
            raise ValueError(f"unknown system {system!r}; expected one of {', '.join(SYSTEMS)}")
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory(prefix="bankcode-bench-") as temp:
        work = Path(options.work_dir or temp)
        work.mkdir(parents=True, exist_ok=True)

        _stage(progress, "generate")
        n_absent = round(options.queries * absent_share())
        directory = _build_directory(options.rows, n_absent, options.seed, rng)
        csv_path = work / "bench_directory.csv"
        _write_csv(csv_path, directory.rows)

        _stage(progress, "import")
        db_path = work / "bench_directory.sqlite"
        db_path.unlink(missing_ok=True)
        import_s, import_summary = _import(csv_path, db_path, progress)

        targets = _pick_targets(directory.rows, options.queries - len(directory.held_out), rng)
        queries = make_queries(targets, directory.held_out, rng)
        texts = [query.text for query in queries]

        systems: dict[str, dict] = {}
        for system in options.systems:
            _stage(progress, f"query:{system}")
            run = _run_in_worker(system, db_path, texts)
            if run.error:
                systems[system] = {"error": run.error}
                continue
            systems[system] = score_run(queries, run)
            if system == "rapidfuzz":
                systems["rapidfuzz_cutoff"] = score_run(queries, run, cutoff=options.rapidfuzz_cutoff)
            check(progress)

    return {
        "version": REPORT_VERSION,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "options": {**asdict(options), "work_dir": str(options.work_dir) if options.work_dir else None},
        "machine": _machine(),
        "directory": {
            "rows": len(directory.rows),
            "real_rows": directory.real_rows,
            "synthetic_rows": directory.synthetic_rows,
            "held_out": len(directory.held_out),
            "generate_s": round(directory.generate_s, 3),
            "import_s": round(import_s, 3),
            "import_summary": import_summary,
        },
        "queries": _describe_queries(queries),
        "rss_method": RSS_METHOD,
        "systems": systems,
        "comparison": compare(systems),
    }


def save_report(report: dict, path: Path) -> None:
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def score_run(queries: Sequence[BenchQuery], run: SystemRun, cutoff: float | None = None) -> dict:
    """Accuracy, latency and memory of one system run; ``cutoff`` drops answers scored below it."""
    right = answered = wrong = 0
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_origin: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for query, code, score in zip(queries, run.codes, run.scores, strict=True):
        if cutoff is not None and score < cutoff:
            code = None
        is_right = code == query.expected
        if code is not None:
            answered += 1
            wrong += not is_right
        right += is_right
        by_kind[query.kind][0] += is_right
        by_kind[query.kind][1] += 1
        by_origin[query.origin][0] += is_right
        by_origin[query.origin][1] += 1
    latencies = sorted(run.latencies_ms)
    return {
        "top1": right / len(queries),
        "answered": answered,
        "wrong_rate": wrong / answered if answered else 0.0,
        "p50_ms": _percentile(latencies, 50),
        "p99_ms": _percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies) if latencies else 0.0,
        "load_s": run.load_s,
        "rss_after_load_mib": run.rss_after_load_mib,
        "query_rss_max_mib": run.query_rss_max_mib,
        "peak_rss_mib": run.peak_rss_mib,
        "top1_by_kind": {kind: hits / total for kind, (hits, total) in sorted(by_kind.items())},
        "top1_by_origin": {origin: hits / total for origin, (hits, total) in sorted(by_origin.items())},
        **({"cutoff": cutoff} if cutoff is not None else {}),
    }


def compare(systems: dict[str, dict]) -> dict[str, dict]:
    """Compare the engine with each baseline: top-1 difference in points, and ratios engine / baseline."""
    engine = systems.get("engine")
    if not engine or "error" in engine:
        return {}
    comparison: dict[str, dict] = {}
    for baseline in BASELINES:
        other = systems.get(baseline)
        if not other or "error" in other:
            continue
        comparison[baseline] = {
            "top1_points": 100 * (engine["top1"] - other["top1"]),
            "top1_ratio": _ratio(engine["top1"], other["top1"]),
            "wrong_rate_ratio": _ratio(engine["wrong_rate"], other["wrong_rate"]),
            "p50_ratio": _ratio(engine["p50_ms"], other["p50_ms"]),
            "p99_ratio": _ratio(engine["p99_ms"], other["p99_ms"]),
            "peak_rss_ratio": _ratio(engine["peak_rss_mib"], other["peak_rss_mib"]),
        }
    return comparison


def _ratio(ours: float, theirs: float) -> float | None:
    return ours / theirs if theirs else None


def _percentile(sorted_values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of already sorted values; 0.0 for none."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(percent / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def _stage(progress: Progress | None, stage: str) -> None:
    logger.info("benchmark: %s", stage)
    if progress is not None:
        progress.start_stage(stage)


def _read_demo() -> list[tuple[str, str]]:
    with (PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["cnaps_code"], row["name"]) for row in csv.DictReader(handle)]


def _build_directory(rows: int, n_absent: int, seed: int, rng: random.Random) -> _Directory:
    """Mix real demo rows (up to half of ``rows``) with synthetic ones; hold out ``n_absent``."""
    started = time.perf_counter()
    demo = _read_demo()
    absent_real = n_absent // 2
    absent_synthetic = n_absent - absent_real
    real_count = min(len(demo) - absent_real, rows // 2)
    real = [(code, name, "real") for code, name in rng.sample(demo, real_count + absent_real)]
    synthetic_count = rows - real_count
    synthetic = [
        (branch.cnaps_code, branch.name, "synthetic")
        for branch in generate_directory(
            synthetic_count + absent_synthetic,
            seed,
            reserved_codes={code for code, _ in demo},
            reserved_names={name for _, name in demo},
        )
    ]
    rng.shuffle(synthetic)
    directory = _Directory(
        rows=sorted(real[absent_real:] + synthetic[absent_synthetic:]),
        held_out=real[:absent_real] + synthetic[:absent_synthetic],
        real_rows=real_count,
        synthetic_rows=synthetic_count,
    )
    directory.generate_s = time.perf_counter() - started
    logger.info(
        "benchmark directory: %d real and %d synthetic rows, %d held out, built in %.1f s",
        real_count,
        synthetic_count,
        n_absent,
        directory.generate_s,
    )
    return directory


def _write_csv(path: Path, rows: Sequence[tuple[str, str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("cnaps_code", "name", "source"))
        for code, name, origin in rows:
            writer.writerow((code, name, "demo" if origin == "real" else "synthetic"))


def _import(csv_path: Path, db_path: Path, progress: Progress | None) -> tuple[float, dict]:
    from core.store import import_directory, open_directory

    started = time.perf_counter()
    with open_directory(db_path, create_demo=False) as directory:
        summary = import_directory(directory, csv_path, mode="replace", progress=progress)
    elapsed = time.perf_counter() - started
    logger.info("benchmark import: %d branches in %.1f s", summary.total, elapsed)
    return elapsed, {
        "rows_read": summary.rows_read,
        "added": summary.added,
        "skipped": summary.skipped_count,
        "total": summary.total,
        "elapsed_s": summary.elapsed_s,
    }


def _pick_targets(rows: Sequence[tuple[str, str, str]], count: int, rng: random.Random) -> list:
    """Half real and half synthetic targets when both exist, so real names are queried too."""
    real = [row for row in rows if row[2] == "real"]
    synthetic = [row for row in rows if row[2] == "synthetic"]
    from_real = min(len(real), count // 2)
    from_synthetic = min(len(synthetic), count - from_real)
    return rng.sample(real, from_real) + rng.sample(synthetic, from_synthetic)


def _run_in_worker(system: str, db_path: Path, texts: list[str]) -> SystemRun:
    """Run one system in a fresh spawned process, so its memory figures are its own."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(run_system, (system, str(db_path), texts))


def _describe_queries(queries: Sequence[BenchQuery]) -> dict:
    by_kind: dict[str, int] = defaultdict(int)
    for query in queries:
        by_kind[query.kind] += 1
    return {
        "total": len(queries),
        "with_target": sum(query.expected is not None for query in queries),
        "without_target": sum(query.expected is None for query in queries),
        "real": sum(query.origin == "real" for query in queries),
        "by_kind": dict(sorted(by_kind.items())),
        "examples": [asdict(query) for query in queries[:20]],
    }


def _machine() -> dict:
    try:
        usable_cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable_cores = os.cpu_count() or 0
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "usable_cores": usable_cores,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }
