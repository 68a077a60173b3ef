"""Measure the import of a large directory file: time, CPU time, peak memory, database size.

    python -m core.store.bench_import [--rows 150000] [--format csv] [FILE]

Without FILE, a synthetic directory of ``--rows`` rows is written first with
``core.synth``. The file is imported three times into a new temporary database:
into the empty database, again unchanged (replace), and again as a merge. CPU
time is printed beside wall time because on a shared machine the wall time
mostly measures the other processes.
"""

from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from pathlib import Path

from core.store import import_directory, open_directory


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS, where this overstates by 1024x).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(path: Path, work_dir: Path) -> list[str]:
    """Import ``path`` three ways into a database in ``work_dir``; return one report line per step."""
    lines = [f"file {path.name}: {path.stat().st_size / 1e6:.1f} MB"]
    db_path = work_dir / "bench.sqlite"
    with open_directory(db_path, create_demo=False) as directory:
        for label, mode in (
            ("empty database", "replace"),
            ("same file, replace", "replace"),
            ("same file, merge", "merge"),
        ):
            wall, cpu = time.perf_counter(), _cpu_seconds()
            summary = import_directory(directory, path, mode=mode)
            wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
            lines.append(
                f"{label}: {summary.total:,} branches, {summary.added:,} added, wall {wall:.1f} s, "
                f"CPU {cpu:.1f} s, peak RSS {_peak_rss_mib():.0f} MiB"
            )
    lines.append(f"database {db_path.stat().st_size / 1e6:.1f} MB")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="directory file to import (default: synthetic)")
    parser.add_argument("--rows", type=int, default=150_000, help="rows of the synthetic file")
    parser.add_argument("--format", default="csv", help="format of the synthetic file: csv, unl, xlsx, json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bankcode-bench-import-") as temp:
        work_dir = Path(temp)
        path = args.file
        if path is None:
            from core.synth import write_directory

            path = work_dir / f"synthetic.{args.format}"
            started = time.perf_counter()
            write_directory(path, rows=args.rows, seed=0, format=args.format)
            print(f"wrote {args.rows:,} synthetic rows in {time.perf_counter() - started:.1f} s")
        for line in run(path, work_dir):
            print(line)


if __name__ == "__main__":
    main()
