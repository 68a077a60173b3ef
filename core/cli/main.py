"""Entry point of the ``bankcode`` command.

Subcommands live one per module and are imported only when invoked, so that
``bankcode query`` never pays for torch or llama.cpp imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from core import __version__
from core.cli import click_zh
from core.errors import BankcodeError, Cancelled
from core.i18n import describe_error, tr

# Before the decorators below: version_option translates its help text when applied.
click_zh.install()

# name -> "module:function"; each module owns its command and its messages.
COMMANDS: dict[str, str] = {
    "import": "core.cli.cmd_import:import_command",
    "query": "core.cli.cmd_query:query_command",
    "eval": "core.cli.cmd_eval:eval_command",
    "synth": "core.cli.cmd_synth:synth_command",
    "bench": "core.cli.cmd_bench:bench_command",
    "augment": "core.cli.cmd_augment:augment_command",
    "train": "core.cli.cmd_train:train_command",
    "models": "core.cli.cmd_models:models_group",
    "feedback": "core.cli.cmd_feedback:feedback_group",
    "gui": "core.cli.cmd_gui:gui_command",
    "selftest": "core.cli.cmd_selftest:selftest_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None or not _available(cmd_name):
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


def _available(name: str) -> bool:
    module_name = COMMANDS[name].split(":")[0]
    return importlib.util.find_spec(module_name) is not None


@click.group(cls=LazyGroup, help=tr("cli.main_help"))
@click.version_option(__version__, prog_name="bankcode")
@click.option("-v", "--verbose", count=True, help=tr("cli.verbose_help"))
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    from core.logsetup import configure_logging

    configure_logging(verbose)
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a ``BankcodeError`` becomes one Chinese line on stderr and exit status 2."""
    try:
        # Without standalone mode click returns ctx.exit()'s status instead of exiting.
        status = cli.main(args=argv, prog_name="bankcode", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo(tr("cli.aborted"), err=True)
        sys.exit(2)
    except Cancelled:
        click.echo(tr("errors.Cancelled"), err=True)
        sys.exit(2)
    except BankcodeError as error:
        click.echo(describe_error(error), err=True)
        sys.exit(2)
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
