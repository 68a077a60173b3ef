"""Read a directory file of any supported format as (line, code, name, clearing code) rows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from core.errors import ImportFileError
from core.importers.columns import ColumnMapping, infer_columns, looks_like_header, map_header
from core.importers.encoding import detect_encoding
from core.importers.sources import (
    Row,
    TextLayout,
    delimited_rows,
    json_rows,
    sniff_format,
    sniff_text,
    xlsx_rows,
)

logger = logging.getLogger(__name__)

# Rows read to decide the header and the column order.
SAMPLE_ROWS = 200


@dataclass(frozen=True)
class RawRow:
    """One data row as found in the file, before any check.

    ``problem`` is a skip reason key ("malformed_record") when the row could not be
    read into fields at all; the importer reports it with ``line_no``.
    """

    line_no: int
    cnaps_code: str
    name: str
    clearing_code: str | None
    problem: str | None = None


@dataclass(frozen=True)
class FilePreview:
    """The detected layout of a directory file and its first rows, shown by the import dialog."""

    path: Path
    format: str  # "csv", "unl", "xlsx", "json" or "jsonl"
    encoding: str  # Python codec name; "" for xlsx
    delimiter: str | None  # for csv and unl
    header: tuple[str, ...] | None  # None when the first row is data
    mapping: ColumnMapping
    rows: tuple[tuple[str, ...], ...]  # the first data rows, cells as read
    # The file line number of each row in ``rows``, as skipped-row messages count them
    # (the header is line 1, and a quoted field over several lines counts as one).
    line_numbers: tuple[int, ...] = ()


def _format_name(path: Path, layout: TextLayout | None) -> str:
    if layout is None:
        return "xlsx"
    if layout.kind != "delimited":
        return layout.kind
    return "unl" if layout.delimiter == "|" or path.suffix.lower() == ".unl" else "csv"


def _open_rows(path: Path) -> tuple[TextLayout | None, Iterator[Row]]:
    if not path.is_file():
        raise ImportFileError(
            f"{path} does not exist or is not a file; check the path",
            key="store.error_missing",
            path=str(path),
        )
    if path.stat().st_size == 0:
        raise ImportFileError(
            f"{path} is empty; choose the exported directory file", key="store.error_empty", path=str(path)
        )
    if sniff_format(path) == "xlsx":
        return None, xlsx_rows(path)
    layout = sniff_text(path, detect_encoding(path))
    if layout.kind == "delimited":
        return layout, delimited_rows(path, layout)
    return layout, json_rows(path, layout)


def _analyse(path: Path) -> FilePreview:
    layout, rows = _open_rows(path)
    keyed = layout is not None and layout.kind in ("json", "jsonl")
    sample = list(islice(rows, SAMPLE_ROWS + 1))
    rows.close()  # type: ignore[attr-defined]  # generators release their file here
    if keyed:
        header: list[str] | None = sample[0][1] if sample else []
        data_rows = sample[1:]
    elif sample and looks_like_header(sample[0][1]):
        header = sample[0][1]
        data_rows = sample[1:]
    else:
        header = None
        data_rows = sample
    data = [cells for _, cells in data_rows]
    if not data:
        raise ImportFileError(
            f"{path} has no data rows; choose the exported directory file",
            key="store.error_empty",
            path=str(path),
        )

    mapping = infer_columns(data, map_header(header) if header is not None else None)
    if mapping.code is None:
        raise ImportFileError(
            f"{path} has no column of 12-digit codes (联行号); check that the right file was chosen",
            key="store.error_no_code_column",
            path=str(path),
        )
    if mapping.name is None:
        raise ImportFileError(
            f"{path} has no column of branch names (行名); check that the right file was chosen",
            key="store.error_no_name_column",
            path=str(path),
        )
    return FilePreview(
        path=path,
        format=_format_name(path, layout),
        encoding=layout.encoding if layout else "",
        delimiter=layout.delimiter if layout else None,
        header=tuple(header) if header is not None else None,
        mapping=mapping,
        rows=tuple(tuple(cells) for cells in data[:SAMPLE_ROWS]),
        line_numbers=tuple(line_no for line_no, _ in data_rows[:SAMPLE_ROWS]),
    )


def preview_file(path: Path, rows: int = 20) -> FilePreview:
    """Detect the format, encoding, header and column mapping of ``path`` and read its first rows.

    Raises ``ImportFileError`` for a file that cannot be imported at all (missing,
    empty, binary, no code or name column).
    """
    preview = _analyse(Path(path))
    return FilePreview(
        **{**preview.__dict__, "rows": preview.rows[:rows], "line_numbers": preview.line_numbers[:rows]}
    )


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def read_directory_file(path: Path, preview: FilePreview | None = None) -> Iterator[RawRow]:
    """Stream the data rows of ``path`` with the mapping from ``preview`` (detected when None).

    Blank rows are dropped; every other row is yielded unchecked, so the importer
    can report a bad one by its line number.
    """
    path = Path(path)
    preview = preview or _analyse(path)
    mapping = preview.mapping
    _, rows = _open_rows(path)
    skip_header = preview.header is not None
    for line_no, cells in rows:
        if skip_header:
            skip_header = False
            continue
        if not cells:
            yield RawRow(line_no, "", "", None, problem="malformed_record")
            continue
        clearing = _cell(cells, mapping.clearing) if mapping.clearing is not None else None
        yield RawRow(line_no, _cell(cells, mapping.code), _cell(cells, mapping.name), clearing or None)
