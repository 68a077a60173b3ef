"""Readers for bank directory files: CSV, UNL, XLSX, JSON and JSON Lines.

``preview_file`` shows how a file will be read; ``read_directory_file`` streams its
rows unchecked. Checking rows and writing them is ``core.store.import_directory``.
"""

from core.importers.columns import ColumnMapping
from core.importers.files import FilePreview, RawRow, preview_file, read_directory_file

__all__ = ["ColumnMapping", "FilePreview", "RawRow", "preview_file", "read_directory_file"]
