"""``bankcode query TEXT``: look up one branch and print the answer or the candidates."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.i18n import tr
from core.results import LookupResult


def result_to_json(result: LookupResult) -> dict:
    """Return the ``--json`` object of a lookup result."""
    answer = None
    if result.answer is not None:
        answer = {
            "cnaps_code": result.answer.cnaps_code,
            "name": result.answer.name,
            "confidence": result.confidence,
        }
    return {
        "query": result.query,
        "answer": answer,
        "candidates": [
            {"cnaps_code": candidate.cnaps_code, "name": candidate.name, "score": candidate.score}
            for candidate in result.candidates
        ],
        "confidence": result.confidence,
        "entities": [
            {"label": entity.label, "start": entity.start, "end": entity.end, "text": entity.text}
            for entity in result.entities
        ],
        "entity_source": result.entity_source,
        "note": tr(f"{result.note_key}", **result.note_params) if result.note_key else "",
        "elapsed_ms": round(result.elapsed_ms, 2),
    }


def format_result(result: LookupResult) -> list[str]:
    """Return the Chinese lines that show a lookup result."""
    lines: list[str] = []
    if result.answer is not None:
        lines.append(
            tr(
                "lookup.query.answer",
                name=result.answer.name,
                code=result.answer.cnaps_code,
                confidence=result.confidence,
            )
        )
    elif result.candidates:
        lines.append(tr("lookup.query.not_sure"))
        # Codes listed for a prefix or a mistyped code have no similarity to show.
        by_code = result.note_key.startswith("lookup.note_code")
        for number, candidate in enumerate(result.candidates, start=1):
            lines.append(
                tr(
                    "lookup.query.candidate_code" if by_code else "lookup.query.candidate",
                    number=number,
                    name=candidate.name,
                    code=candidate.cnaps_code,
                    score=candidate.score,
                )
            )
    elif result.note_key == "lookup.note_nothing_similar":
        # The note is the whole message, so a "说明：" line under a shorter copy would repeat it.
        return [tr(result.note_key)]
    else:
        lines.append(tr("lookup.query.no_candidates"))
    if result.note_key and result.note_key != "lookup.note_code_found":
        lines.append(tr("lookup.query.note", text=tr(result.note_key, **result.note_params)))
    return lines


def open_engine(db_path: Path | None, rules_only: bool = False):
    """Open the directory (the user's default when ``db_path`` is None) and load the engine.

    The engine takes its entities from the active NER model unless ``rules_only`` is set
    or no model loads; then the rule-based parser supplies them.
    """
    from core.lookup.engine import LookupEngine
    from core.store import open_directory

    if db_path is not None and not db_path.exists():
        raise click.BadParameter(f"{db_path} does not exist", param_hint="--db")
    extractor = None
    if not rules_only:
        from core.ner.runtime import load_active_model

        extractor = load_active_model()
    return LookupEngine(open_directory(db_path), extractor=extractor)


rules_only_option = click.option("--rules-only", is_flag=True, help=tr("lookup.rules_only_help"))


@click.command(name="query", help=tr("lookup.query.help"))
@click.argument("text")
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=tr("cli.db_help"))
@click.option(
    "--top", type=click.IntRange(1, 50), default=5, show_default=True, help=tr("lookup.query.top_help")
)
@click.option("--json", "as_json", is_flag=True, help=tr("lookup.query.json_help"))
@rules_only_option
@click.pass_context
def query_command(
    ctx: click.Context, text: str, db_path: Path | None, top: int, as_json: bool, rules_only: bool
) -> None:
    engine = open_engine(db_path, rules_only)
    result = engine.lookup(text, top=top)
    if as_json:
        click.echo(json.dumps(result_to_json(result), ensure_ascii=False))
    else:
        for line in format_result(result):
            click.echo(line)
    ctx.exit(0 if result.answer is not None else 1)
