"""``bankcode feedback``: list, undo, export and import corrections, and run a learning round."""

from __future__ import annotations

from pathlib import Path

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
        click.echo(
            tr(
                "feedback.list_row",
                id=row.id,
                at=row.at,
                query=row.query,
                code=row.chosen_code,
                name=row.chosen_name or tr("feedback.name_missing"),
                previous=row.previous_code or "-",
                status=tr(f"feedback.status_{row.status}"),
                source=tr(f"feedback.source_{row.source}"),
            )
        )


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
    from core.feedback.report_text import import_report_lines
    from core.feedback.share import import_corrections
    from core.store import open_directory

    with open_directory(db_path) as directory:
        report = import_corrections(directory, file)
    for line in import_report_lines(report):
        click.echo(line)


@feedback_group.command("learn", help=tr("feedback.learn_help"))
@_DB_OPTION
@click.option(
    "--max-drop", type=click.FloatRange(min=0, max=1), default=None, help=tr("feedback.max_drop_help")
)
@click.option(
    "--epochs", type=click.FloatRange(min=0, min_open=True), default=None, help=tr("feedback.epochs_help")
)
@click.option(
    "--replay", "replay_size", type=click.IntRange(min=0), default=None, help=tr("feedback.replay_help")
)
@click.option("--no-llm", is_flag=True, help=tr("feedback.no_llm_help"))
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help=tr("feedback.out_help")
)
def learn_command(
    db_path: Path | None,
    max_drop: float | None,
    epochs: float | None,
    replay_size: int | None,
    no_llm: bool,
    out_dir: Path | None,
) -> None:
    import dataclasses

    from core.augment.options import AugmentOptions
    from core.feedback.learn import LearnOptions, learn_from_feedback
    from core.feedback.report_text import learn_report_lines
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
    for line in learn_report_lines(report):
        click.echo(line)
