"""Batch lookup: read a CSV or XLSX file of branch texts, write a copy with results.

The output keeps every input column and appends 联行号, 行名, 置信度 and 状态 (the
column titles and status words come from ``core/locale/batch.toml``). A row without a
confident answer gets 状态 "未确定" and the best candidate is not written, because a
guessed code in a payment file is worse than an empty cell.
"""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import BatchFileError, InvalidQueryError
from core.i18n import tr
from core.jobs import Progress

logger = logging.getLogger(__name__)

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# Header words that mark the column holding branch texts, in order of preference.
NAME_HEADER_WORDS = ("行名", "网点", "开户行", "开户银行", "银行", "名称", "branch", "bank", "name")


@dataclass(frozen=True)
class TablePreview:
    """The first rows of a batch file, for the dialog that picks the column."""

    format: str  # "csv" or "xlsx"
    encoding: str  # "" for xlsx
    headers: list[str]
    rows: list[list[str]]
    guessed_column: int  # index into headers of the likely branch-text column


@dataclass(frozen=True)
class BatchSummary:
    """Counts of one batch run."""

    out_path: Path
    rows: int
    answered: int
    unanswered: int  # looked up, no confident answer
    invalid: int  # empty or unsearchable cells
    elapsed_s: float


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BatchFileError(f"{path.name}: unsupported file type {path.suffix!r}; use .csv or .xlsx")
    return fmt


def _csv_encoding(path: Path) -> str:
    raw = path.read_bytes()[:1_000_000]
    for encoding in CSV_ENCODINGS:
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise BatchFileError(f"{path.name}: text is neither UTF-8 nor GB18030; save it as UTF-8 CSV")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed into Excel comes back as 1.02100000021e11
    return str(value).strip()


def _read_rows(path: Path) -> tuple[str, Iterator[list[str]]]:
    """Return the encoding and an iterator over all rows, the header row first."""
    fmt = file_format(path)
    if fmt == "csv":
        encoding = _csv_encoding(path)

        def csv_rows() -> Iterator[list[str]]:
            with path.open(encoding=encoding, newline="") as handle:
                for row in csv.reader(handle):
                    yield [cell.strip() for cell in row]

        return encoding, csv_rows()

    def xlsx_rows() -> Iterator[list[str]]:
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises several types for a damaged file
            raise BatchFileError(f"{path.name}: not a readable XLSX workbook ({error})") from error
        try:
            for row in workbook.active.iter_rows(values_only=True):
                yield [_cell_text(value) for value in row]
        finally:
            workbook.close()

    return "", xlsx_rows()


def guess_column(headers: list[str], rows: list[list[str]]) -> int:
    """Pick the column that most likely holds branch texts: by header word, else by CJK content."""
    for word in NAME_HEADER_WORDS:
        for index, header in enumerate(headers):
            if word in header.lower() and "号" not in header:
                return index
    best, best_count = 0, -1
    for index in range(len(headers)):
        count = sum(_cjk_count(row[index]) for row in rows if index < len(row))
        if count > best_count:
            best, best_count = index, count
    return best


def _cjk_count(text: str) -> int:
    return sum(1 for char in text if "\u4e00" <= char <= "\u9fff")


def preview_table(path: Path, rows: int = 10) -> TablePreview:
    """Read the header and the first ``rows`` rows of a batch file."""
    path = Path(path)
    encoding, iterator = _read_rows(path)
    try:
        headers = next(iterator)
    except StopIteration:
        raise BatchFileError(f"{path.name}: the file is empty; it needs a header row") from None
    first = []
    for row in iterator:
        first.append(row)
        if len(first) >= rows:
            break
    headers = [header or tr("batch.unnamed_column", number=index + 1) for index, header in enumerate(headers)]
    return TablePreview(file_format(path), encoding, headers, first, guess_column(headers, first))


def _count_rows(path: Path) -> int:
    _, iterator = _read_rows(path)
    return max(0, sum(1 for _ in iterator) - 1)


def run_batch(
    engine: Any,
    in_path: Path,
    column: str | int,
    out_path: Path,
    progress: Progress | None = None,
) -> BatchSummary:
    """Look up every row's ``column`` with ``engine`` and write the results to ``out_path``.

    ``column`` is a header text or a 0-based index. The output format follows the
    suffix of ``out_path``. The file is written to a temporary name first and
    renamed at the end, so a cancel or failure leaves no half file.
    """
    started = time.perf_counter()
    in_path, out_path = Path(in_path), Path(out_path)
    out_format = file_format(out_path)
    total = _count_rows(in_path)
    if progress is not None:
        progress.start_stage("batch lookup", total)

    _, iterator = _read_rows(in_path)
    try:
        headers = next(iterator)
    except StopIteration:
        raise BatchFileError(f"{in_path.name}: the file is empty; it needs a header row") from None
    index = _column_index(headers, column, in_path)
    added = [tr("batch.col_code"), tr("batch.col_name"), tr("batch.col_confidence"), tr("batch.col_status")]

    counts = {"answered": 0, "unanswered": 0, "invalid": 0}

    def result_rows() -> Iterator[list[Any]]:
        yield [*headers, *added]
        for row in iterator:
            text = row[index] if index < len(row) else ""
            yield [*row, *_look_up(engine, text, counts)]
            if progress is not None:
                progress.advance()

    temp_path = out_path.with_name(out_path.name + ".part")
    try:
        if out_format == "csv":
            _write_csv(temp_path, result_rows())
        else:
            _write_xlsx(temp_path, result_rows())
        temp_path.replace(out_path)
    except OSError as error:
        raise BatchFileError(
            f"{out_path}: cannot write the result file ({error}); choose another folder"
        ) from error
    finally:
        temp_path.unlink(missing_ok=True)

    summary = BatchSummary(
        out_path=out_path,
        rows=sum(counts.values()),
        answered=counts["answered"],
        unanswered=counts["unanswered"],
        invalid=counts["invalid"],
        elapsed_s=time.perf_counter() - started,
    )
    logger.info(
        "batch lookup of %d rows in %.1f s: %d answered, %d unanswered, %d invalid -> %s",
        summary.rows,
        summary.elapsed_s,
        summary.answered,
        summary.unanswered,
        summary.invalid,
        out_path,
    )
    return summary


def _column_index(headers: list[str], column: str | int, path: Path) -> int:
    if isinstance(column, int):
        if 0 <= column < len(headers):
            return column
        raise BatchFileError(
            f"{path.name}: column {column} does not exist; the file has {len(headers)} columns"
        )
    if column in headers:
        return headers.index(column)
    raise BatchFileError(f"{path.name}: no column named {column!r}; columns are {headers}")


def _look_up(engine: Any, text: str, counts: dict[str, int]) -> list[Any]:
    if not text:
        counts["invalid"] += 1
        return ["", "", "", tr("batch.status_empty")]
    try:
        result = engine.lookup(text, top=1)
    except InvalidQueryError:
        counts["invalid"] += 1
        return ["", "", "", tr("batch.status_invalid")]
    if result.answer is None:
        counts["unanswered"] += 1
        return ["", "", round(result.confidence, 3), tr("batch.status_unanswered")]
    counts["answered"] += 1
    return [
        result.answer.cnaps_code,
        result.answer.name,
        round(result.confidence, 3),
        tr("batch.status_answered"),
    ]


def _write_csv(path: Path, rows: Iterator[list[Any]]) -> None:
    # utf-8-sig so that Excel on Windows opens the Chinese text correctly.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(row)


def _write_xlsx(path: Path, rows: Iterator[list[Any]]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    workbook.save(path)
