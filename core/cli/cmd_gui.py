"""``bankcode gui``: start the desktop app (imports Qt only when run)."""

from __future__ import annotations

from pathlib import Path

import click

from core.i18n import tr


@click.command(name="gui", help=tr("cli.gui_help"))
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help=tr("cli.db_help")
)
@click.pass_context
def gui_command(ctx: click.Context, db_path: Path | None) -> None:
    try:
        from desktop.app import run
    except ImportError as error:
        raise click.ClickException(tr("cli.gui_missing", detail=str(error))) from error
    ctx.exit(run(db_path, ctx.obj.get("verbose", 0) if ctx.obj else 0))
