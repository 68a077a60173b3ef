"""``bankcode selftest``: check that this installation works, part by part."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from core.i18n import tr


@click.command(name="selftest", help=tr("selftest.help"))
@click.option("--temp-home", is_flag=True, help=tr("selftest.temp_home_help"))
@click.option("--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=tr("cli.db_help"))
@click.option("--no-llm", is_flag=True, help=tr("selftest.no_llm_help"))
@click.option(
    "--threads", type=click.IntRange(1, 64), default=2, show_default=True, help=tr("selftest.threads_help")
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help=tr("selftest.report_help"),
)
@click.pass_context
def selftest_command(
    ctx: click.Context,
    temp_home: bool,
    db_path: Path | None,
    no_llm: bool,
    threads: int,
    report_path: Path | None,
) -> None:
    from core.selftest import SelftestOptions, run_selftest, temporary_home

    options = SelftestOptions(db_path=db_path, llm=not no_llm, threads=threads)
    with temporary_home() if temp_home else contextlib.nullcontext():
        report = run_selftest(options)
    text = "\n".join(report.lines())
    click.echo(text)
    if report_path is not None:
        report_path.write_text(text + "\n", encoding="utf-8")
    ctx.exit(0 if report.ok else 1)
