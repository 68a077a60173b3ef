"""``bankcode feedback``: list, undo, export and import corrections, and run a learning round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from core.i18n import tr

_DB_OPTION = click.option(
    "--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=tr("cli.db_help")
)


@click.group("feedback", help=tr("feedback.help"))
def feedback_group() -> None:
    pass


@feedback_group.command("list", help=tr("feedback.list_help"))
@_DB_OPTION
@click.option("--all", "include_undone", is_flag=True, help=tr("feedback.list_all_help"))
def list_command(db_path: Path | None, include_undone: bool) -> None:
    from core.feedback import list_corrections
    from core.store import open_directory

    with open_directory(db_path) as directory:
        rows = list_corrections(directory, include_undone=include_undone)
    if not rows:
        click.echo(tr("feedback.list_empty"))
        return
    click.echo(tr("feedback.list_header"))
    for row in rows:
        click.echo(tr(
            "feedback.list_row", id=row.id, at=row.at, query=row.query, code=row.chosen_code,
            name=row.chosen_name or tr("feedback.name_missing"), previous=row.previous_code or "-",
            status=tr(f"feedback.status_{row.status}"), source=tr(f"feedback.source_{row.source}"),
        ))


@feedback_group.command("undo", help=tr("feedback.undo_help"))
@_DB_OPTION
@click.argument("correction_id", type=int)
def undo_command(db_path: Path | None, correction_id: int) -> None:
    from core.feedback import undo_correction
    from core.store import open_directory

    with open_directory(db_path) as directory:
        changed = undo_correction(directory, correction_id)
    click.echo(tr("feedback.undone" if changed else "feedback.already_undone", id=correction_id))


@feedback_group.command("export", help=tr("feedback.export_help"))
@_DB_OPTION
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def export_command(db_path: Path | None, file: Path) -> None:
    from core.feedback.share import export_corrections
    from core.store import open_directory

    with open_directory(db_path) as directory:
        count = export_corrections(directory, file)
    click.echo(tr("feedback.exported", count=count, path=str(file)))


@feedback_group.command("import", help=tr("feedback.import_help"))
@_DB_OPTION
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
def import_command(db_path: Path | None, file: Path) -> None:
    from core.feedback.share import import_corrections
    from core.store import open_directory

    with open_directory(db_path) as directory:
        report = import_corrections(directory, file)
    for line in import_lines(report):
        click.echo(line)


def import_lines(report: Any) -> list[str]:
    """Describe an ``ImportReport`` in Chinese, one fact per line (the GUI shows the same lines)."""
    lines = [tr("feedback.imported", imported=report.imported, duplicates=report.duplicates,
                conflicts=len(report.conflicts), unknown=len(report.unknown_codes),
                invalid=len(report.invalid))]
    for conflict in report.conflicts:
        lines.append(tr("feedback.conflict", query=conflict.query, local=conflict.local_code,
                        imported=conflict.imported_code, kept=conflict.kept_code))
    for number, code in report.unknown_codes:
        lines.append(tr("feedback.unknown_code", line=number, code=code))
    for number, reason in report.invalid:
        lines.append(tr("feedback.invalid_line", line=number, reason=reason))
    return lines


@feedback_group.command("learn", help=tr("feedback.learn_help"))
@_DB_OPTION
@click.option("--max-drop", type=click.FloatRange(min=0, max=1), default=None, help=tr("feedback.max_drop_help"))
@click.option("--epochs", type=click.FloatRange(min=0, min_open=True), default=None, help=tr("feedback.epochs_help"))
@click.option("--replay", "replay_size", type=click.IntRange(min=0), default=None, help=tr("feedback.replay_help"))
@click.option("--no-llm", is_flag=True, help=tr("feedback.no_llm_help"))
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help=tr("feedback.out_help"))
def learn_command(db_path: Path | None, max_drop: float | None, epochs: float | None,
                  replay_size: int | None, no_llm: bool, out_dir: Path | None) -> None:
    import dataclasses

    from core.augment.options import AugmentOptions
    from core.feedback.learn import LearnOptions, learn_from_feedback
    from core.store import open_directory

    options = LearnOptions(data_dir=out_dir)
    samples = dataclasses.replace(options.data.samples, augment=AugmentOptions(use_llm=not no_llm))
    data = dataclasses.replace(options.data, samples=samples)
    if replay_size is not None:
        data = dataclasses.replace(data, replay_size=replay_size)
    options = dataclasses.replace(options, data=data)
    if max_drop is not None:
        options = dataclasses.replace(options, max_metric_drop=max_drop)
    if epochs is not None:
        options = dataclasses.replace(options, train=options.train.replace(epochs=epochs))
    with open_directory(db_path) as directory:
        report = learn_from_feedback(directory, options)
    for line in learn_lines(report):
        click.echo(line)


def learn_lines(report: Any) -> list[str]:
    """Describe a ``LearnReport`` in Chinese: the data, before and after, and the decision."""
    dataset = report.dataset
    lines = [
        tr("feedback.learn_data", texts=dataset.corrected_texts, samples=dataset.feedback_samples,
           lines=dataset.feedback_lines, replay=dataset.replay_samples, path=str(dataset.path)),
        tr("feedback.learn_table_header"),
    ]
    for name in ("entity_f1", "regression_top1", "corrected_top1"):
        lines.append(tr("feedback.learn_metric", metric=tr(f"feedback.metric_{name}"),
                        before=getattr(report.before, name), after=getattr(report.after, name)))
    if report.activated:
        lines.append(tr("feedback.learn_activated", version=report.version, previous=report.previous_version))
    else:
        dropped = "，".join(tr("feedback.metric_drop", metric=tr(f"feedback.metric_{name}"), before=before,
                               after=after) for name, before, after in report.dropped)
        lines.append(tr("feedback.learn_rejected", version=report.version, dropped=dropped,
                        margin=report.max_metric_drop, previous=report.previous_version))
    return lines
