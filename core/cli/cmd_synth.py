"""``bankcode synth``: write a synthetic national directory for scale tests."""

from __future__ import annotations

import time
from pathlib import Path

import click

from core.i18n import tr


@click.command("synth", help=tr("scale.synth_help"))
@click.option(
    "--rows", type=click.IntRange(min=1), default=150_000, show_default=True, help=tr("scale.rows_help")
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help=tr("scale.out_help"),
)
@click.option("--seed", type=int, default=0, show_default=True, help=tr("scale.seed_help"))
def synth_command(rows: int, out_path: Path, seed: int) -> None:
    from core.synth import FORMATS, write_directory

    file_format = out_path.suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        raise click.BadParameter(
            tr("scale.bad_suffix", suffix=out_path.suffix or "（无）"), param_hint="--out"
        )
    started = time.perf_counter()
    count = write_directory(out_path, rows=rows, seed=seed, format=file_format)
    click.echo(tr("scale.synth_done", count=count, path=str(out_path), seconds=time.perf_counter() - started))
