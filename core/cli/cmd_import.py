"""``bankcode import FILE``: load a directory file into the database and print what changed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click

from core.i18n import tr

SKIPPED_SHOWN = 20
CHANGES_SHOWN = 20
CHECK_DIGIT_SHOWN = 10
# A replace that would remove more than this share of the branches needs --replace.
MAX_REMOVED_SHARE = 0.5


def _change_lines(kind: str, changes, count: int) -> list[str]:
    lines = []
    for change in changes:
        if kind == "renamed":
            line = tr(
                "store.summary.renamed_line",
                code=change.cnaps_code,
                old=change.old_name,
                new=change.new_name,
            )
            lines.append(line)
        else:
            name = change.new_name if kind == "added" else change.old_name
            lines.append(tr(f"store.summary.{kind}_line", code=change.cnaps_code, name=name))
    if count > len(changes):
        lines.append(tr("store.summary.listed_more", count=count - len(changes)))
    return lines


def format_summary(summary, changes: Mapping[str, list] | None = None) -> list[str]:
    """Return the Chinese lines that describe an ``ImportSummary``.

    ``changes`` maps "added", "renamed" and "removed" to the first
    ``DirectoryChange`` rows of each kind, listed under their counts.
    """
    changes = changes or {}
    lines = [
        tr(
            "store.summary.title",
            file=summary.path.name,
            format=summary.format.upper(),
            encoding=summary.encoding or "-",
            mode=tr(f"store.summary.mode_{summary.mode}"),
        )
    ]
    for kind, key, count in (
        ("added", "store.summary.added", summary.added),
        ("renamed", "store.summary.changed", summary.changed),
        ("removed", "store.summary.removed", summary.removed),
    ):
        lines.append(tr(key, count=count))
        if count:
            lines.extend(_change_lines(kind, changes.get(kind, []), count))
    lines.append(tr("store.summary.unchanged", count=summary.unchanged))
    if summary.duplicates:
        lines.append(tr("store.summary.duplicates", count=summary.duplicates))
    if summary.corrected_codes:
        lines.append(tr("store.summary.corrected_codes", count=summary.corrected_codes))
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
@click.option("--replace", is_flag=True, help=tr("store.cli.replace_help"))
@click.pass_context
def import_command(ctx: click.Context, file: Path, db_path: Path | None, merge: bool, replace: bool) -> None:
    from core.errors import ImportFileError
    from core.store import import_directory, open_directory
    from core.store.changes import list_changes

    if merge and replace:
        raise click.UsageError(tr("store.cli.replace_and_merge"), ctx)
    # The demo would be replaced by this import anyway, so it is not loaded first.
    with open_directory(db_path, create_demo=merge) as directory:
        try:
            summary = import_directory(
                directory,
                file,
                mode="merge" if merge else "replace",
                max_removed_share=None if replace else MAX_REMOVED_SHARE,
            )
        except ImportFileError as error:
            if error.params.get("key") != "store.error_large_removal":
                raise
            click.echo(tr("store.cli.large_removal", **error.params), err=True)
            ctx.exit(2)
        changes = {
            kind: list_changes(directory, summary.import_id, kind, limit=CHANGES_SHOWN)
            for kind in ("added", "renamed", "removed")
        }
    for line in format_summary(summary, changes):
        click.echo(line)
