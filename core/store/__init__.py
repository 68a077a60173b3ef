"""The bank directory database (SQLite, WAL) and the import of directory files.

Tables: ``branches`` (one row per 联行号), ``cities``, the full-text indexes
``branches_fts`` and ``branches_chars`` (see ``core.store.fts``), ``imports`` and
``directory_changes`` (what each import changed), and ``aliases``,
``lookup_log``, ``corrections`` and ``settings`` for the lookup engine and the
GUI. The schema is defined by named migrations in ``core.store.schema``.
"""

from core.store.directory import BranchRow, Directory, open_directory
from core.store.importer import ImportSummary, SkippedRow, import_directory
from core.store.suggest import suggest_codes

__all__ = [
    "BranchRow",
    "Directory",
    "ImportSummary",
    "SkippedRow",
    "import_directory",
    "open_directory",
    "suggest_codes",
]
