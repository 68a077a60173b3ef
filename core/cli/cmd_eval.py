"""``bankcode eval QUERIES.jsonl``: measure the lookup engine on a labelled queries file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.cli.cmd_query import rules_only_option
from core.i18n import has, tr


def kind_label(kind: str) -> str:
    """Return the Chinese label of a query kind such as "location_first", or the kind itself."""
    key = f"lookup.eval.kind.{kind}"
    return tr(key) if has(key) else kind


def format_report(report, path: Path) -> list[str]:
    """Return the Chinese lines of an ``EvalReport``."""
    correct = round(report.top1 * report.queries)
    lines = [
        tr("lookup.eval.title", path=path.name, count=report.queries),
        tr("lookup.eval.top1", value=report.top1, correct=correct, count=report.queries),
        tr("lookup.eval.top5", value=report.top5),
        tr("lookup.eval.answered", value=report.answered),
        tr("lookup.eval.wrong", value=report.wrong_when_answered, wrong=report.wrong_answers),
    ]
    if report.null_targets:
        abstained = round(report.abstention * report.null_targets)
        lines.append(
            tr("lookup.eval.abstain", value=report.abstention, correct=abstained, count=report.null_targets)
        )
    lines.append(
        tr(
            "lookup.eval.latency",
            p50=report.latency_p50_ms,
            p95=report.latency_p95_ms,
            p99=report.latency_p99_ms,
        )
    )
    if report.entities is not None:
        lines.append(
            tr(
                "lookup.eval.entities",
                count=report.entities.support,
                precision=report.entities.precision,
                recall=report.entities.recall,
                f1=report.entities.f1,
            )
        )
    if len(report.by_kind) > 1 or "-" not in report.by_kind:
        lines.append(tr("lookup.eval.kind_header"))
        for kind, scores in report.by_kind.items():
            lines.append(
                tr(
                    "lookup.eval.kind_line",
                    kind=kind_label(kind),
                    value=scores.top1,
                    correct=round(scores.top1 * scores.count),
                    count=scores.count,
                    wrong=scores.wrong,
                )
            )
    return lines


def extractor_line(engine) -> str:
    """Name where the entities came from: the NER model and its version, or the rules."""
    version = getattr(engine.extractor, "version", "")
    if engine.extractor.name == "model":
        return tr("lookup.entities_from_model", version=version)
    return tr("lookup.entities_from_rules")


@click.command(name="eval", help=tr("lookup.eval.help"))
@click.argument("queries", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=tr("cli.db_help"))
@click.option("--json", "as_json", is_flag=True, help=tr("lookup.eval.json_help"))
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help=tr("lookup.eval.errors_help"),
)
@rules_only_option
def eval_command(
    queries: Path, db_path: Path | None, as_json: bool, errors_path: Path | None, rules_only: bool
) -> None:
    from core.cli.cmd_query import open_engine
    from core.evaluate import evaluate_file, write_misses

    engine = open_engine(db_path, rules_only)
    report = evaluate_file(engine, queries)
    if errors_path is not None:
        write_misses(report, errors_path)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in format_report(report, queries):
            click.echo(line)
        click.echo(extractor_line(engine))
        if errors_path is not None:
            click.echo(tr("lookup.eval.errors_written", count=len(report.misses), path=errors_path))
