"""``bankcode bench``: compare the lookup engine with two baselines on a synthetic directory."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import click

from core.i18n import tr

# Row label keys of the results table, in print order.
SYSTEM_LABELS = {
    "engine": "scale.system_engine",
    "rapidfuzz": "scale.system_rapidfuzz",
    "rapidfuzz_cutoff": "scale.system_rapidfuzz_cutoff",
    "fts5": "scale.system_fts5",
}


@click.command("bench", help=tr("scale.bench_help"))
@click.option(
    "--rows",
    type=click.IntRange(min=10),
    default=150_000,
    show_default=True,
    help=tr("scale.bench_rows_help"),
)
@click.option(
    "--queries", type=click.IntRange(min=1), default=500, show_default=True, help=tr("scale.queries_help")
)
@click.option("--seed", type=int, default=0, show_default=True, help=tr("scale.seed_help"))
@click.option(
    "--cutoff", type=click.FloatRange(0, 100), default=90.0, show_default=True, help=tr("scale.cutoff_help")
)
@click.option(
    "--systems",
    default="engine,rapidfuzz,fts5",
    show_default=True,
    help=tr("scale.systems_help"),
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help=tr("scale.bench_out_help"),
)
def bench_command(
    rows: int, queries: int, seed: int, cutoff: float, systems: str, out_path: Path | None
) -> None:
    from core.bench import BenchOptions, run_benchmark, save_report
    from core.bench_systems import SYSTEMS

    chosen = tuple(name.strip() for name in systems.split(",") if name.strip())
    unknown = [name for name in chosen if name not in SYSTEMS]
    if unknown or not chosen:
        raise click.BadParameter(
            tr("scale.bad_systems", systems=systems, choices=",".join(SYSTEMS)), param_hint="--systems"
        )
    options = BenchOptions(rows=rows, queries=queries, seed=seed, rapidfuzz_cutoff=cutoff, systems=chosen)
    report = run_benchmark(options)
    for line in format_report(report):
        click.echo(line)
    if out_path is not None:
        save_report(report, out_path)
        click.echo(tr("scale.bench_saved", path=str(out_path)))


def format_report(report: dict) -> list[str]:
    """Format the printed summary: directory and import, one row per system, the engine's ratios."""
    directory = report["directory"]
    query_info = report["queries"]
    lines = [
        tr(
            "scale.bench_directory",
            rows=directory["rows"],
            real=directory["real_rows"],
            synthetic=directory["synthetic_rows"],
            import_s=directory["import_s"],
        ),
        tr("scale.bench_queries", total=query_info["total"], absent=query_info["without_target"]),
        "",
    ]
    header = [
        tr(key)
        for key in (
            "scale.col_system",
            "scale.col_top1",
            "scale.col_wrong",
            "scale.col_p50",
            "scale.col_p99",
            "scale.col_rss",
        )
    ]
    table = [header]
    failures: list[str] = []
    for system, label_key in SYSTEM_LABELS.items():
        figures = report["systems"].get(system)
        if figures is None:
            continue
        label = tr(label_key, cutoff=figures.get("cutoff", 0))
        if "error" in figures:
            failures.append(tr("scale.system_failed", system=label, detail=figures["error"]))
            continue
        table.append(
            [
                label,
                f"{figures['top1']:.1%}",
                f"{figures['wrong_rate']:.1%}",
                f"{figures['p50_ms']:.1f}",
                f"{figures['p99_ms']:.1f}",
                f"{figures['peak_rss_mib']:.0f}",
            ]
        )
    lines.extend(_align(table))
    lines.extend(failures)

    engine = report["systems"].get("engine", {})
    if engine and "error" not in engine:
        lines.append("")
        lines.append(tr("scale.engine_load", load_s=engine["load_s"], rss=engine["rss_after_load_mib"]))
    for baseline, ratios in report["comparison"].items():
        label = tr(SYSTEM_LABELS[baseline], cutoff=report["systems"][baseline].get("cutoff", 0))
        lines.append(
            tr(
                "scale.ratio_line",
                baseline=label,
                points=ratios["top1_points"],
                p99=_format_ratio(ratios["p99_ratio"]),
                rss=_format_ratio(ratios["peak_rss_ratio"]),
            )
        )
    return lines


def _format_ratio(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _align(table: list[list[str]]) -> list[str]:
    """Pad cells to the widest in each column, counting CJK characters as two columns."""
    widths: dict[int, int] = {}
    for row in table:
        for index, cell in enumerate(row):
            widths[index] = max(widths.get(index, 0), _display_width(cell))
    lines = []
    for row in table:
        cells = [cell + " " * (widths[index] - _display_width(cell)) for index, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines
