"""Chinese text for click's own messages: help option, usage line, usage errors.

click looks its messages up through ``gettext.gettext`` bound as ``_`` in each of
its modules. ``install`` rebinds those names to a catalogue read from
``core/locale/click.toml``, keyed by click's English message ids.
"""

from __future__ import annotations

import functools
import gettext
import importlib
import tomllib

import click

from core.i18n import LOCALE_DIR

# Every click module that imports gettext; a module missing from a click release is skipped.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.shell_completion",
    "click.termui",
    "click.types",
    "click.utils",
)


class ClickTranslations(gettext.NullTranslations):
    """A gettext catalogue from click's English message ids to Chinese. An unknown id stays English."""

    def __init__(self, messages: dict[str, str], type_names: dict[str, str]) -> None:
        super().__init__()
        self.messages = messages
        self.type_names = type_names

    def gettext(self, message: str) -> str:
        return self.messages.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        message = singular if n == 1 else plural
        return self.messages.get(message, message)


@functools.cache
def translations() -> ClickTranslations:
    with (LOCALE_DIR / "click.toml").open("rb") as handle:
        tables = tomllib.load(handle)
    return ClickTranslations(tables["messages"], tables["types"])


def install() -> None:
    """Rebind ``_`` and ``ngettext`` in click's modules to the Chinese catalogue.

    Also renames click's parameter types, whose names are the placeholders in
    help text. Call before any click decorator runs: ``version_option`` and
    ``help_option`` look their help text up when they are applied.
    """
    catalogue = translations()
    for value in vars(click.types).values():
        if isinstance(value, type) and issubclass(value, click.ParamType):
            own_name = vars(value).get("name")
            if own_name in catalogue.type_names:
                value.name = catalogue.type_names[own_name]
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = catalogue.gettext
        if hasattr(module, "ngettext"):
            module.ngettext = catalogue.ngettext
