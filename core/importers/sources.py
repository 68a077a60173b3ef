"""Row sources per file format: each yields ``(line_no, cells)`` with text cells.

Every reader streams, keeping at most one row (or one 64 KiB chunk of JSON text
plus the object being parsed) in memory, so a file of a million rows is read in
bounded memory. ``line_no`` is the physical line of a text
file, the sheet row of a workbook and the line where a JSON object starts.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import ImportFileError

logger = logging.getLogger(__name__)

Row = tuple[int, list[str]]

DELIMITERS = ("|", "\t", ",", ";")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
JSON_CHUNK = 1 << 16
# Keys are collected from this many leading JSON objects; a key that first
# appears later is ignored.
JSON_KEY_SAMPLE = 200


def cell_text(value: object) -> str:
    """Turn a spreadsheet or JSON value into the text the importer checks.

    A code stored as a number loses its leading zeros (PBOC codes start 001), so
    an integer of 9 to 11 digits is padded back to 12.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:012d}" if 10**8 <= value < 10**11 else str(value)
    return str(value).strip()


def sniff_format(path: Path) -> str:
    """Return "xlsx" or "text" from the file's first bytes; reject an old binary .xls."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(_ZIP_MAGIC):
        return "xlsx"
    if magic.startswith(_OLE2_MAGIC):
        raise ImportFileError(
            f"{path} is an old Excel .xls workbook; save it as .xlsx or CSV and import again",
            key="store.error_xls",
            path=str(path),
        )
    return "text"


def sniff_delimiter(lines: list[str]) -> str | None:
    """Pick the delimiter found in most of the sample lines, or None for one column."""
    best: tuple[int, int, str] | None = None
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        present = sum(1 for count in counts if count)
        if present * 5 < len(lines) * 4:  # in at least 80 % of the lines
            continue
        score = (present, min(counts) if counts else 0, delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None


@dataclass(frozen=True)
class TextLayout:
    """The reading parameters of a text file: codec, kind and, for delimited text, the delimiter."""

    encoding: str
    kind: str  # "delimited", "json" (one array) or "jsonl" (one object a line)
    delimiter: str | None = None


def sniff_text(path: Path, encoding: str) -> TextLayout:
    lines: list[str] = []
    first_char = ""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        for line in handle:
            stripped = line.strip()
            if not stripped:
                continue
            if not first_char:
                first_char = stripped[0]
            lines.append(stripped)
            if len(lines) >= 50:
                break
    if first_char == "[":
        return TextLayout(encoding, "json")
    if first_char == "{":
        return TextLayout(encoding, "jsonl")
    return TextLayout(encoding, "delimited", sniff_delimiter(lines) if lines else None)


def _decode_error(path: Path, line_no: int, encoding: str) -> ImportFileError:
    return ImportFileError(
        f"{path} line {line_no} is not valid {encoding}; save the file in one encoding (UTF-8) and retry",
        key="store.error_decode_line",
        path=str(path),
        line=line_no,
        encoding=encoding,
    )


def delimited_rows(path: Path, layout: TextLayout) -> Iterator[Row]:
    """Yield the rows of a delimited text file; a pipe file's trailing ``|`` adds no cell."""
    with path.open(encoding=layout.encoding, newline="") as handle:
        if layout.delimiter == "|":
            # UNL exports quote nothing, so a '"' inside a name is literal text.
            line_no = 0
            try:
                for line_no, line in enumerate(handle, start=1):  # noqa: B007
                    text = line.rstrip("\r\n")
                    if not text.strip():
                        continue
                    cells = text.split("|")
                    if len(cells) > 1 and cells[-1].strip() == "":
                        cells.pop()
                    yield line_no, [cell.strip() for cell in cells]
            except UnicodeDecodeError as error:
                raise _decode_error(path, line_no + 1, layout.encoding) from error
            return
        reader = csv.reader(handle, delimiter=layout.delimiter or ",")
        try:
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    continue
                yield reader.line_num, [cell.strip() for cell in cells]
        except UnicodeDecodeError as error:
            raise _decode_error(path, reader.line_num + 1, layout.encoding) from error
        except csv.Error as error:
            raise ImportFileError(
                f"{path} line {reader.line_num} is not valid CSV ({error}); fix the quoting and retry",
                key="store.error_csv",
                path=str(path),
                line=reader.line_num,
            ) from error


def xlsx_rows(path: Path) -> Iterator[Row]:
    """Yield the rows of the first worksheet, numbered as Excel shows them.

    NOTE: only the first worksheet is read; a workbook with the directory on a
    later sheet must be saved with that sheet first.
    """
    import openpyxl

    def damaged(error: Exception) -> ImportFileError:
        return ImportFileError(
            f"{path} cannot be opened as an Excel workbook ({type(error).__name__}: {error}); "
            "save it as .xlsx or CSV and retry",
            key="store.error_xlsx",
            path=str(path),
        )

    # A damaged workbook fails in zipfile, zlib, the XML parser or openpyxl itself,
    # with a different exception type in each, and only when the damaged part is read.
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise damaged(error) from error
    try:
        try:
            sheet = workbook.worksheets[0]
            for line_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(value) for value in values]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    yield line_no, cells
        except Exception as error:
            raise damaged(error) from error
    finally:
        workbook.close()


def _invalid_json(path: Path, line_no: int, error: Exception) -> ImportFileError:
    return ImportFileError(
        f"{path} is not valid JSON near line {line_no} ({error}); fix the file and retry",
        key="store.error_json",
        path=str(path),
        line=line_no,
    )


def json_array_objects(path: Path, encoding: str) -> Iterator[tuple[int, object]]:
    """Yield ``(line_no, value)`` for each element of a top-level JSON array, reading in chunks."""
    decoder = json.JSONDecoder()
    with path.open(encoding=encoding) as handle:
        buffer = handle.read(JSON_CHUNK)
        eof = not buffer
        lines_before = 0  # newlines in the text already dropped from the buffer
        position = buffer.find("[")
        if position < 0:
            raise _invalid_json(path, 1, ValueError("no '[' found"))
        position += 1
        while True:
            while True:
                while position < len(buffer) and buffer[position] in " \t\r\n,":
                    position += 1
                if position < len(buffer) or eof:
                    break
                chunk = handle.read(JSON_CHUNK)
                eof = not chunk
                buffer += chunk
            line_no = lines_before + buffer.count("\n", 0, position) + 1
            if position >= len(buffer):
                raise _invalid_json(path, line_no, ValueError("the array is not closed with ']'"))
            if buffer[position] == "]":
                return
            try:
                value, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError as error:
                if eof:
                    raise _invalid_json(path, line_no, error) from error
                value, end = None, -1
            if end < 0 or (end == len(buffer) and not eof):
                # The element may continue in the next chunk. Reading as much again as
                # the buffer contains keeps a huge element linear: a fixed chunk would
                # parse a 100 MB element again for every 64 KiB read.
                chunk = handle.read(max(JSON_CHUNK, len(buffer)))
                eof = not chunk
                buffer += chunk
                continue
            yield line_no, value
            position = end
            if position > JSON_CHUNK:
                lines_before += buffer.count("\n", 0, position)
                buffer = buffer[position:]
                position = 0


def json_lines_objects(path: Path, encoding: str) -> Iterator[tuple[int, object]]:
    """Yield ``(line_no, value)`` per non-empty line; a line that is not JSON yields ``None``."""
    with path.open(encoding=encoding) as handle:
        line_no = 0
        try:
            for line_no, line in enumerate(handle, start=1):  # noqa: B007
                if not line.strip():
                    continue
                try:
                    yield line_no, json.loads(line)
                except json.JSONDecodeError:
                    yield line_no, None
        except UnicodeDecodeError as error:
            raise _decode_error(path, line_no + 1, encoding) from error


def json_rows(path: Path, layout: TextLayout) -> Iterator[Row]:
    """Yield a header row of the object keys (line 0), then each object's values in that order.

    An element that is not an object yields an empty cell list, which the importer
    reports as a malformed row.
    """
    reader = json_array_objects if layout.kind == "json" else json_lines_objects
    keys: list[str] = []
    seen: set[str] = set()
    for count, (_, value) in enumerate(reader(path, layout.encoding)):
        if count >= JSON_KEY_SAMPLE:
            break
        if isinstance(value, dict):
            for key in value:
                if key not in seen:
                    seen.add(key)
                    keys.append(str(key))
    yield 0, keys
    for line_no, value in reader(path, layout.encoding):
        if isinstance(value, dict):
            yield line_no, [cell_text(value.get(key)) for key in keys]
        else:
            yield line_no, []
