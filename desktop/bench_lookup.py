"""Measure lookup round trips through the desktop app's lookup thread.

    python -m desktop.bench_lookup QUERIES.jsonl [--db PATH]

Prints the engine load time and percentiles of the time from ``LookupService.request``
to the result arriving on the GUI thread (the engine's own time plus the two
thread hops), over the ``query`` field of each line. Runs offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m desktop.bench_lookup")
    parser.add_argument("queries", type=Path)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QCoreApplication, QEventLoop

    from desktop.lookup_service import LookupService
    from desktop.waiting import wait_until

    _app = QCoreApplication([])  # the event loops below need an application object
    lines = args.queries.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["query"] for line in lines if line.strip()]
    service = LookupService(args.db)
    finished: list[object] = []
    service.finished.connect(lambda _id, result: finished.append(result))
    service.failed.connect(lambda _id, _text, error: finished.append(error))

    started = time.perf_counter()
    service.reload()
    if not wait_until(lambda: service.ready, 120_000):
        raise SystemExit("the lookup engine did not load within 120 s")
    load_s = time.perf_counter() - started

    # A loop that quits on the result times the round trip to the signal itself, with no
    # polling interval added, and releases the GIL while it waits (desktop/waiting.py).
    loop = QEventLoop()
    service.finished.connect(lambda _id, _result: loop.quit())
    service.failed.connect(lambda _id, _text, _error: loop.quit())
    round_trips_ms = []
    for text in texts:
        finished.clear()
        sent = time.perf_counter()
        service.request(text)
        if not finished:
            loop.exec()
        round_trips_ms.append((time.perf_counter() - sent) * 1000)
    service.stop()

    cuts = statistics.quantiles(round_trips_ms, n=100)
    print(f"engine load: {load_s:.2f} s ({service.info.branch_count:,} branches)")
    p50, p95, p99, slowest = cuts[49], cuts[94], cuts[98], max(round_trips_ms)
    print(f"{len(texts)} lookups, round trip ms: p50 {p50:.2f} p95 {p95:.2f} p99 {p99:.2f} max {slowest:.2f}")


if __name__ == "__main__":
    main()
