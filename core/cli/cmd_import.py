"""``bankcode import FILE``: load a directory file into the database and print what changed."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import tr

SKIPPED_SHOWN = 20
CHECK_DIGIT_SHOWN = 10


def format_summary(summary) -> list[str]:
    """Return the Chinese lines that describe an ``ImportSummary``."""
    lines = [
        tr(
            "store.summary.title",
            file=summary.path.name,
            format=summary.format.upper(),
            encoding=summary.encoding or "-",
            mode=tr(f"store.summary.mode_{summary.mode}"),
        ),
        tr("store.summary.added", count=summary.added),
        tr("store.summary.changed", count=summary.changed),
        tr("store.summary.removed", count=summary.removed),
        tr("store.summary.unchanged", count=summary.unchanged),
    ]
    if summary.duplicates:
        lines.append(tr("store.summary.duplicates", count=summary.duplicates))
    if summary.skipped_count:
        lines.append(tr("store.summary.skipped", count=summary.skipped_count))
        for row in summary.skipped[:SKIPPED_SHOWN]:
            lines.append(
                tr("store.summary.skipped_line", line=row.line_no, reason=row.reason_text(), value=row.value)
            )
        if summary.skipped_count > SKIPPED_SHOWN:
            lines.append(tr("store.summary.skipped_more", count=summary.skipped_count - SKIPPED_SHOWN))
    if summary.check_digit_warnings:
        examples = "、".join(summary.check_digit_examples[:CHECK_DIGIT_SHOWN])
        if summary.check_digit_warnings > CHECK_DIGIT_SHOWN:
            examples += " ……"
        lines.append(tr("store.summary.check_digit", count=summary.check_digit_warnings, examples=examples))
    lines.append(tr("store.summary.total", count=summary.total, seconds=summary.elapsed_s))
    return lines


@click.command(name="import", help=tr("store.cli.import_help"))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=tr("cli.db_help"))
@click.option("--merge", is_flag=True, help=tr("store.cli.merge_help"))
def import_command(file: Path, db_path: Path | None, merge: bool) -> None:
    from core.store import import_directory, open_directory

    # The demo would be replaced by this import anyway, so it is not loaded first.
    with open_directory(db_path, create_demo=merge) as directory:
        summary = import_directory(directory, file, mode="merge" if merge else "replace")
    for line in format_summary(summary):
        click.echo(line)
