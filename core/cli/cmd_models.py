"""``bankcode models``: list, activate and roll back NER models."""

from __future__ import annotations

import click

from core.i18n import tr


@click.group("models", help=tr("ner.models_help"))
def models_group() -> None:
    pass


@models_group.command("list", help=tr("ner.list_help"))
def list_command() -> None:
    from core.ner.registry import list_models

    models = list_models()
    if not models:
        click.echo(tr("ner.list_empty"))
        return
    click.echo(tr("ner.list_header"))
    for info in models:
        click.echo(
            tr(
                "ner.list_row",
                marker="*" if info.active else " ",
                version=info.version,
                created=info.created_at,
                f1=f"{info.test_f1:.2%}" if info.test_f1 is not None else tr("ner.f1_unknown"),
                origin=tr("ner.origin_shipped") if info.shipped else tr("ner.origin_user"),
            )
        )


@models_group.command("activate", help=tr("ner.activate_help"))
@click.argument("version")
def activate_command(version: str) -> None:
    from core.ner.registry import activate

    click.echo(tr("ner.activated", version=activate(version).version))


@models_group.command("rollback", help=tr("ner.rollback_help"))
def rollback_command() -> None:
    from core.ner.registry import rollback

    click.echo(tr("ner.rolled_back", version=rollback().version))
