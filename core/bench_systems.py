"""The lookup systems the benchmark compares, each run in a fresh worker process.

``engine`` is our ``LookupEngine``. ``rapidfuzz`` is ``process.extractOne`` with its
default scorer ``fuzz.WRatio`` over every official name. ``fts5`` splits the query into
overlapping three-character terms, ORs them in one MATCH on the trigram index
``branches_fts`` and takes the first row by bm25. A worker loads one system, runs
every query and measures its own memory, so that no system pays for another's index.
"""

from __future__ import annotations

import gc
import logging
import sqlite3
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)

SYSTEMS = ("engine", "rapidfuzz", "fts5")
RSS_METHOD = (
    "peak: VmHWM from /proc/self/status of the worker process, covering load and queries "
    "(psutil peak_wset on Windows, resource ru_maxrss elsewhere); after load and query phase: "
    "psutil.Process().memory_info().rss sampled after loading and after each query"
)


@dataclass
class SystemRun:
    """Measurements of one worker; ``codes[i]`` and ``scores[i]`` belong to query ``i``."""

    system: str
    codes: list[str | None] = field(default_factory=list)  # the answer, None when none
    scores: list[float] = field(default_factory=list)  # the system's own score of its answer
    latencies_ms: list[float] = field(default_factory=list)
    load_s: float = 0.0
    rss_after_load_mib: float = 0.0
    query_rss_max_mib: float = 0.0  # max of the per-query psutil samples
    peak_rss_mib: float = 0.0  # high-water mark of the whole worker, from _peak_rss_mib
    error: str = ""


def run_system(system: str, db_path: str, queries: list[str]) -> SystemRun:
    """Load ``system`` over the database at ``db_path`` and look up every query.

    Runs in a worker process; an exception while loading or querying is returned in
    ``error`` so that one broken system does not stop the benchmark.
    """
    run = SystemRun(system)
    try:
        started = time.perf_counter()
        lookup = _load(system, Path(db_path))
        run.load_s = time.perf_counter() - started
        gc.collect()
        process = psutil.Process()
        run.rss_after_load_mib = process.memory_info().rss / 2**20
        run.query_rss_max_mib = run.rss_after_load_mib
        for query in queries:
            started = time.perf_counter()
            code, score = lookup(query)
            run.latencies_ms.append((time.perf_counter() - started) * 1000)
            run.codes.append(code)
            run.scores.append(score)
            run.query_rss_max_mib = max(run.query_rss_max_mib, process.memory_info().rss / 2**20)
    except Exception as error:  # noqa: BLE001 - reported per system in the results
        logger.exception("benchmark system %s failed", system)
        run.error = f"{type(error).__name__}: {error}"
    run.peak_rss_mib = _peak_rss_mib()
    return run


def _peak_rss_mib() -> float:
    """Peak resident memory of this process in MiB.

    On Linux this reads VmHWM, which ``execve`` resets. ``ru_maxrss`` is not used there
    because it keeps the high-water mark of the parent that forked the worker.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    info = psutil.Process().memory_info()
    if hasattr(info, "peak_wset"):  # Windows
        return info.peak_wset / 2**20
    import resource

    # ru_maxrss is in bytes on macOS and in kilobytes elsewhere.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def _load(system: str, db_path: Path):  # noqa: ANN202 - returns a query -> (code, score) callable
    if system == "engine":
        return _load_engine(db_path)
    if system == "rapidfuzz":
        return _load_rapidfuzz(db_path)
    if system == "fts5":
        return _load_fts5(db_path)
    raise ValueError(f"unknown benchmark system {system!r}; expected one of {', '.join(SYSTEMS)}")


def _load_engine(db_path: Path):  # noqa: ANN202
    from core.errors import InvalidQueryError
    from core.lookup.engine import LookupEngine
    from core.store import open_directory

    engine = LookupEngine(open_directory(db_path, create_demo=False))

    def lookup(query: str) -> tuple[str | None, float]:
        try:
            result = engine.lookup(query, top=5)
        except InvalidQueryError:
            return None, 0.0
        if result.answer is None:
            return None, result.confidence
        return result.answer.cnaps_code, result.confidence

    return lookup


def _load_rapidfuzz(db_path: Path):  # noqa: ANN202
    from rapidfuzz import fuzz, process

    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT cnaps_code, name FROM branches ORDER BY cnaps_code").fetchall()
    codes = [code for code, _ in rows]
    names = [name for _, name in rows]
    del rows

    def lookup(query: str) -> tuple[str | None, float]:
        best = process.extractOne(query, names, scorer=fuzz.WRatio)
        if best is None:
            return None, 0.0
        _, score, index = best
        return codes[index], float(score)

    return lookup


def _load_fts5(db_path: Path):  # noqa: ANN202
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)

    def lookup(query: str) -> tuple[str | None, float]:
        terms = trigram_terms(query)
        if not terms:
            return None, 0.0
        match = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
        row = conn.execute(
            "SELECT cnaps_code, bm25(branches_fts) FROM branches_fts WHERE branches_fts MATCH ? "
            "ORDER BY bm25(branches_fts) LIMIT 1",
            (match,),
        ).fetchone()
        if row is None:
            return None, 0.0
        return row[0], -float(row[1])

    return lookup


def trigram_terms(query: str) -> list[str]:
    """Distinct three-character windows of the NFKC query, skipping whitespace and punctuation."""
    text = "".join(char for char in unicodedata.normalize("NFKC", query) if char.isalnum())
    return list(dict.fromkeys(text[index : index + 3] for index in range(len(text) - 2)))
