"""Read back what an import changed, from ``directory_changes``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.store.directory import Directory

ChangeKind = Literal["added", "renamed", "removed"]


@dataclass(frozen=True)
class DirectoryChange:
    """One branch added, renamed or removed by an import; a name is None where it has none."""

    cnaps_code: str
    change: ChangeKind
    old_name: str | None
    new_name: str | None


def list_changes(
    directory: Directory, import_id: int, change: ChangeKind, *, limit: int | None = None
) -> list[DirectoryChange]:
    """Return the ``change`` rows of import ``import_id`` ordered by code, at most ``limit``."""
    rows = directory.db.conn.execute(
        "SELECT cnaps_code, change, old_name, new_name FROM directory_changes "
        "WHERE import_id = ? AND change = ? ORDER BY cnaps_code LIMIT ?",
        (import_id, change, -1 if limit is None else limit),
    )
    return [DirectoryChange(*row) for row in rows]
