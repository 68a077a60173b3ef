"""The one translation layer for user-facing text.

Catalogues are TOML files in ``core/locale/``; a file ``area.toml`` with a key
``name`` is looked up as ``"area.name"``. Values are ``str.format`` templates, so
numbers are formatted in the catalogue (``{count:,}``), never by gluing strings.
Simplified Chinese is the one language shipped. Each area of the product (cli,
errors, gui, ...) owns one file, so the catalogue grows without merge conflicts.
"""

from __future__ import annotations

import functools
import logging
import tomllib
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@functools.cache
def catalogue() -> dict[str, str]:
    entries: dict[str, str] = {}
    for path in sorted(LOCALE_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(tomllib.load(handle), path.stem, entries)
    return entries


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(value, name, out)
        else:
            out[name] = str(value)


def has(key: str) -> bool:
    return key in catalogue()


def tr(key: str, /, **params: Any) -> str:
    """Return the Chinese text for ``key`` formatted with ``params``.

    A missing key returns the key itself and logs a warning, so a gap shows up in
    the UI and the log instead of crashing a job.
    """
    template = catalogue().get(key)
    if template is None:
        logger.warning("missing translation key %s", key)
        return key
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        logger.warning("translation %s could not be formatted with %s", key, sorted(params))
        return template


def describe_error(error: BaseException) -> str:
    """Turn an exception into one Chinese message for the CLI or the GUI.

    A ``BankcodeError`` subclass uses ``errors.<ClassName>`` with its ``params`` when
    the catalogue has it; otherwise the English message is shown after a generic line.
    """
    from core.errors import BankcodeError

    if isinstance(error, BankcodeError):
        key = error.params.get("key") or f"errors.{type(error).__name__}"
        if has(key):
            return tr(key, **{**error.params, "detail": str(error)})
        return tr("errors.generic", detail=str(error))
    return tr("errors.unexpected", kind=type(error).__name__, detail=str(error))
