"""Import a directory file into the database as one transaction.

Rows are checked as they stream in and staged in a temporary table, so memory
stays bounded whatever the file size. The differences to ``branches`` are then
computed in SQL, recorded in ``directory_changes`` and applied together with both
full-text indexes before the one COMMIT. Any exception before the COMMIT (an
unreadable file, no valid row, a cancel, a full disk) rolls everything back.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Literal

from core.checkdigit import is_valid_code
from core.errors import DatabaseError, ImportFileError
from core.i18n import tr
from core.importers import FilePreview, RawRow, preview_file, read_directory_file
from core.jobs import Progress
from core.store import fts
from core.store.derive import legal_name
from core.store.directory import Directory, database_error
from core.store.schema import now_iso

logger = logging.getLogger(__name__)

ImportMode = Literal["replace", "merge"]

BATCH_ROWS = 5000
# SQLite's default limit on host parameters is 32,766 since 3.32; stay far below.
LOOKUP_CHUNK = 900
# Only this many skipped rows and check-digit failures are kept in the summary;
# the counts are always complete.
MAX_LISTED = 10_000
# Page cache for the import connection, in KiB (negative PRAGMA cache_size). A
# small cache spills dirty pages to the WAL before the COMMIT: a first import of
# 150,000 rows took 9.6-11.9 s wall instead of 13.0-14.3 s with the default 2 MiB,
# for the same CPU time and 70 MiB more peak memory (two runs each on a busy
# 2-core machine, so an estimate).
IMPORT_CACHE_KIB = 64 * 1024
# Above this share of changed rows, refilling the full-text indexes from scratch
# is cheaper than deleting and re-inserting row by row.
FTS_REBUILD_SHARE = 0.3

SKIP_REASONS = (
    "empty_code",
    "invalid_code",
    "empty_name",
    "name_too_long",
    "conflicting_name",
    "malformed_record",
)
# The longest of the 12,130 demo names has 30 characters. A longer cell is a broken
# row, such as a whole document pasted into a cell, and would bloat the
# full-text indexes.
MAX_NAME_CHARS = 200

_CODE_RE = re.compile(r"[0-9]{12}")
_NUMBER_SUFFIX = re.compile(r"\.0+$")


@dataclass(frozen=True)
class SkippedRow:
    """A data row left out of the import, by its line in the file.

    ``reason`` is one of ``SKIP_REASONS``; ``store.skip.<reason>`` is its Chinese
    text. ``first_line`` is the line that kept the code, for ``conflicting_name``.
    """

    line_no: int
    value: str
    reason: str
    first_line: int | None = None

    def reason_text(self) -> str:
        """Return the Chinese text of ``reason`` for the CLI and the GUI."""
        return tr(f"store.skip.{self.reason}", first_line=self.first_line)


@dataclass
class ImportSummary:
    """Counts, skipped rows and timing of one import."""

    import_id: int
    path: Path
    format: str
    encoding: str
    mode: str
    rows_read: int = 0  # non-blank data rows
    added: int = 0
    changed: int = 0  # renamed branches
    removed: int = 0
    unchanged: int = 0  # codes in the file with the same name; a new clearing code alone counts here
    duplicates: int = 0  # exact repeats of an earlier row, merged
    corrected_codes: int = 0  # codes repaired by normalize_code, such as 102100000021.0
    skipped_count: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)  # the first MAX_LISTED
    check_digit_warnings: int = 0  # imported codes whose 12th digit fails MOD 11,10
    check_digit_examples: list[str] = field(default_factory=list)  # the first MAX_LISTED
    total: int = 0  # branches in the database after the import
    elapsed_s: float = 0.0


def normalize_code(text: str) -> str:
    """Undo what spreadsheets do to a code: full-width digits, a leading ', ="...", a trailing .0."""
    text = unicodedata.normalize("NFKC", text).strip().lstrip("'").strip('="').strip()
    return _NUMBER_SUFFIX.sub("", text)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def _demo_sha256() -> str:
    from core.store.directory import DEMO_CSV

    return file_sha256(DEMO_CSV)


def _holds_only_demo(conn: sqlite3.Connection) -> bool:
    """Return True when the branches still come from the embedded demo and nothing since.

    ``open_directory`` imports the demo like any file, so its row in ``imports``
    is recognised by the shipped file's name and hash.
    """
    from core.store.directory import DEMO_CSV

    rows = conn.execute(
        "SELECT file_name, sha256 FROM imports WHERE finished_at IS NOT NULL ORDER BY id"
    ).fetchall()
    return len(rows) == 1 and rows[0] == (DEMO_CSV.name, _demo_sha256())


def _check_removal_share(
    conn: sqlite3.Connection, path: Path, summary: ImportSummary, max_removed_share: float
) -> None:
    before = conn.execute("SELECT count(*) FROM branches").fetchone()[0]
    if summary.removed <= max_removed_share * before or _holds_only_demo(conn):
        return
    rows = conn.execute("SELECT count(*) FROM staging").fetchone()[0]
    raise ImportFileError(
        f"replacing the directory with {path} ({rows} valid rows) would remove {summary.removed} "
        f"of {before} branches; confirm the replace or merge the file instead",
        key="store.error_large_removal",
        path=str(path),
        file=path.name,
        rows=rows,
        removed=summary.removed,
        total=before,
    )


def _batches(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


class _Stager:
    """Checks raw rows and writes the good ones to ``temp.staging``."""

    def __init__(self, conn: sqlite3.Connection, summary: ImportSummary) -> None:
        self.conn = conn
        self.summary = summary
        conn.execute(
            """
            CREATE TEMP TABLE staging (
                cnaps_code TEXT PRIMARY KEY, name TEXT NOT NULL, clearing_code TEXT,
                legal_name TEXT NOT NULL, check_digit_ok INTEGER NOT NULL, line_no INTEGER NOT NULL
            )
            """
        )

    def skip(self, row: RawRow, value: str, reason: str, first_line: int | None = None) -> None:
        self.summary.skipped_count += 1
        if len(self.summary.skipped) < MAX_LISTED:
            self.summary.skipped.append(SkippedRow(row.line_no, value[:80], reason, first_line))

    def _checked(self, row: RawRow) -> tuple[str, str, str | None] | None:
        if row.problem:
            self.skip(row, "", row.problem)
            return None
        code = normalize_code(row.cnaps_code)
        name = row.name.strip()
        if not code:
            self.skip(row, name, "empty_code")
            return None
        if not _CODE_RE.fullmatch(code):
            self.skip(row, row.cnaps_code.strip(), "invalid_code")
            return None
        if code != row.cnaps_code:
            self.summary.corrected_codes += 1
        if not name:
            self.skip(row, code, "empty_name")
            return None
        if len(name) > MAX_NAME_CHARS:
            self.skip(row, f"{code} {name[:20]}…", "name_too_long")
            return None
        clearing = normalize_code(row.clearing_code) if row.clearing_code else None
        if clearing is not None and not _CODE_RE.fullmatch(clearing):
            logger.debug("line %d: clearing code %r is not 12 digits; left empty", row.line_no, clearing)
            clearing = None
        return code, name, clearing

    def _staged_names(self, codes: list[str]) -> dict[str, tuple[str, int]]:
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(codes), LOOKUP_CHUNK):
            chunk = codes[start : start + LOOKUP_CHUNK]
            marks = ",".join("?" * len(chunk))
            for code, name, line_no in self.conn.execute(
                f"SELECT cnaps_code, name, line_no FROM staging WHERE cnaps_code IN ({marks})", chunk
            ):
                found[code] = (name, line_no)
        return found

    def add_batch(self, batch: list[RawRow]) -> None:
        self.summary.rows_read += len(batch)
        fresh: dict[str, tuple[str, str | None, int]] = {}
        checked: list[tuple[RawRow, str, str, str | None]] = []
        for row in batch:
            fields = self._checked(row)
            if fields is not None:
                checked.append((row, *fields))
        earlier = self._staged_names(sorted({code for _, code, _, _ in checked}))
        for row, code, name, clearing in checked:
            first = earlier.get(code)
            if first is None and code in fresh:
                first = (fresh[code][0], fresh[code][2])
            if first is None:
                fresh[code] = (name, clearing, row.line_no)
            elif first[0] == name:
                self.summary.duplicates += 1
            else:
                self.skip(row, f"{code} {name}", "conflicting_name", first_line=first[1])

        staged = []
        for code, (name, clearing, line_no) in fresh.items():
            valid = is_valid_code(code)
            if not valid:
                self.summary.check_digit_warnings += 1
                if len(self.summary.check_digit_examples) < MAX_LISTED:
                    self.summary.check_digit_examples.append(code)
            staged.append((code, name, clearing, legal_name(name), int(valid), line_no))
        self.conn.executemany("INSERT INTO staging VALUES (?, ?, ?, ?, ?, ?)", staged)


def _record_changes(conn: sqlite3.Connection, import_id: int, mode: str, at: str) -> None:
    conn.execute(
        """
        INSERT INTO directory_changes (import_id, cnaps_code, change, old_name, new_name, at)
        SELECT ?, s.cnaps_code, 'added', NULL, s.name, ?
        FROM staging s WHERE NOT EXISTS (SELECT 1 FROM branches b WHERE b.cnaps_code = s.cnaps_code)
        ORDER BY s.cnaps_code
        """,
        (import_id, at),
    )
    conn.execute(
        """
        INSERT INTO directory_changes (import_id, cnaps_code, change, old_name, new_name, at)
        SELECT ?, s.cnaps_code, 'renamed', b.name, s.name, ?
        FROM staging s JOIN branches b ON b.cnaps_code = s.cnaps_code WHERE b.name != s.name
        ORDER BY s.cnaps_code
        """,
        (import_id, at),
    )
    if mode == "replace":
        conn.execute(
            """
            INSERT INTO directory_changes (import_id, cnaps_code, change, old_name, new_name, at)
            SELECT ?, b.cnaps_code, 'removed', b.name, NULL, ?
            FROM branches b WHERE NOT EXISTS (SELECT 1 FROM staging s WHERE s.cnaps_code = b.cnaps_code)
            ORDER BY b.cnaps_code
            """,
            (import_id, at),
        )


def _apply_changes(conn: sqlite3.Connection, import_id: int, mode: str) -> None:
    if mode == "replace":
        conn.execute(
            "DELETE FROM branches WHERE cnaps_code IN "
            "(SELECT cnaps_code FROM directory_changes WHERE import_id = ? AND change = 'removed')",
            (import_id,),
        )
        new_clearing = "excluded.clearing_code"
    else:
        # A merge file without clearing codes keeps the ones already stored.
        new_clearing = "coalesce(excluded.clearing_code, branches.clearing_code)"
    # "WHERE true" resolves the parsing ambiguity of INSERT ... SELECT ... ON CONFLICT.
    conn.execute(
        f"""
        INSERT INTO branches (cnaps_code, name, bank_category, city_code, city_name, province_name,
                              legal_name, clearing_code, check_digit_ok, import_id)
        SELECT s.cnaps_code, s.name, substr(s.cnaps_code, 1, 3), substr(s.cnaps_code, 4, 4),
               coalesce(c.city_name, ''), coalesce(c.province_name, ''), s.legal_name,
               s.clearing_code, s.check_digit_ok, ?
        FROM staging s LEFT JOIN cities c ON c.city_code = substr(s.cnaps_code, 4, 4)
        WHERE true ORDER BY s.cnaps_code
        ON CONFLICT (cnaps_code) DO UPDATE SET
            name = excluded.name,
            legal_name = excluded.legal_name,
            clearing_code = {new_clearing},
            import_id = CASE WHEN branches.name != excluded.name THEN excluded.import_id
                             ELSE branches.import_id END
        WHERE branches.name != excluded.name OR branches.clearing_code IS NOT {new_clearing}
        """,
        (import_id,),
    )


def _start_index_update(conn: sqlite3.Connection, import_id: int, changes: int) -> bool:
    """Remove the changed codes from the full-text indexes, or return True for a full rebuild."""
    total = conn.execute("SELECT count(*) FROM branches").fetchone()[0]
    if changes > FTS_REBUILD_SHARE * max(total, 1):
        return True
    conn.execute("DROP TABLE IF EXISTS temp.touched")
    conn.execute(
        "CREATE TEMP TABLE touched AS SELECT cnaps_code FROM directory_changes WHERE import_id = ?",
        (import_id,),
    )
    fts.remove_codes(conn, "temp.touched")
    return False


def _finish_index_update(conn: sqlite3.Connection, rebuild: bool) -> None:
    if rebuild:
        fts.rebuild_all(conn)
    else:
        fts.add_codes(conn, "temp.touched")


def _count_changes(conn: sqlite3.Connection, summary: ImportSummary) -> None:
    counts = dict(
        conn.execute(
            "SELECT change, count(*) FROM directory_changes WHERE import_id = ? GROUP BY change",
            (summary.import_id,),
        ).fetchall()
    )
    summary.added = counts.get("added", 0)
    summary.changed = counts.get("renamed", 0)
    summary.removed = counts.get("removed", 0)


def import_directory(
    directory: Directory,
    path: Path,
    *,
    mode: ImportMode = "replace",
    progress: Progress | None = None,
    max_removed_share: float | None = None,
) -> ImportSummary:
    """Import the directory file ``path`` into ``directory`` in one transaction.

    ``replace`` makes the file the whole directory, so codes missing from it are
    removed. ``merge`` only adds new codes, renames existing ones and fills in
    clearing codes, keeping stored ones the file lacks. Bad rows are skipped and
    listed in the summary by line number. A fatal problem raises
    ``ImportFileError`` (the file) or ``DatabaseError`` (the database), and a
    cancel through ``progress`` raises ``Cancelled``. In all three cases the
    database is left exactly as it was.

    ``max_removed_share`` guards a ``replace`` with a file that is not the whole
    directory: when the import would remove more than this share of the current
    branches, it raises ``ImportFileError`` with key ``store.error_large_removal``
    (params ``rows``, ``removed``, ``total``) and writes nothing. The embedded demo
    directory is exempt, so a first real import over it goes through. ``None``
    turns the guard off.

    ``progress`` goes through the stages "inspect", "read" (advanced by the rows
    read, with the total unknown) and "write".
    """
    if mode not in ("replace", "merge"):
        raise ValueError(f"mode must be 'replace' or 'merge', got {mode!r}")
    if directory.read_only:
        raise DatabaseError(
            f"database {directory.path} is open read-only; open it writable to import",
            key="store.db_opened_read_only",
            path=str(directory.path),
        )
    started = time.monotonic()
    path = Path(path)
    if progress is not None:
        progress.start_stage("inspect")
    preview = preview_file(path, rows=0)
    sha256 = file_sha256(path)
    conn = directory.db.conn
    previous_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    try:
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            at = now_iso()
            cursor = conn.execute(
                "INSERT INTO imports (file_name, sha256, format, encoding, mode, started_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (path.name, sha256, preview.format, preview.encoding, mode, at),
            )
            summary = ImportSummary(cursor.lastrowid, path, preview.format, preview.encoding, mode)
            _stage_file(conn, path, preview, summary, progress)
            if progress is not None:
                progress.start_stage("write")
            _record_changes(conn, summary.import_id, mode, at)
            _count_changes(conn, summary)
            if mode == "replace" and max_removed_share is not None:
                _check_removal_share(conn, path, summary, max_removed_share)
            rebuild = _start_index_update(
                conn, summary.import_id, summary.added + summary.changed + summary.removed
            )
            _apply_changes(conn, summary.import_id, mode)
            _finish_index_update(conn, rebuild)
            summary.total = conn.execute("SELECT count(*) FROM branches").fetchone()[0]
            summary.unchanged = summary.total - summary.added - summary.changed
            if mode == "merge":
                summary.unchanged = conn.execute("SELECT count(*) FROM staging").fetchone()[0] - (
                    summary.added + summary.changed
                )
            conn.execute(
                "UPDATE imports SET finished_at = ?, added = ?, changed = ?, removed = ?, skipped = ?, "
                "check_digit_warnings = ? WHERE id = ?",
                (
                    now_iso(),
                    summary.added,
                    summary.changed,
                    summary.removed,
                    summary.skipped_count,
                    summary.check_digit_warnings,
                    summary.import_id,
                ),
            )
            if progress is not None:
                progress.check_cancelled()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.staging")
            conn.execute("DROP TABLE IF EXISTS temp.touched")
            conn.execute(f"PRAGMA cache_size = {int(previous_cache)}")
    except sqlite3.Error as error:
        raise database_error(error, directory.path) from error

    summary.elapsed_s = time.monotonic() - started
    if summary.corrected_codes:
        logger.warning(
            "%s: %d codes were repaired (spreadsheet quotes, .0 suffix or full-width digits)",
            path.name,
            summary.corrected_codes,
        )
    logger.info(
        "imported %s (%s, %s, %s): %d added, %d changed, %d removed, %d skipped, "
        "%d check-digit warnings, %d branches in %.1f s",
        path.name,
        preview.format,
        preview.encoding or "binary",
        mode,
        summary.added,
        summary.changed,
        summary.removed,
        summary.skipped_count,
        summary.check_digit_warnings,
        summary.total,
        summary.elapsed_s,
    )
    return summary


def _stage_file(
    conn: sqlite3.Connection,
    path: Path,
    preview: FilePreview,
    summary: ImportSummary,
    progress: Progress | None,
) -> None:
    if progress is not None:
        progress.start_stage("read")
    stager = _Stager(conn, summary)
    for batch in _batches(read_directory_file(path, preview), BATCH_ROWS):
        stager.add_batch(batch)
        if progress is not None:
            progress.advance(len(batch))
    # A conflicting name is found after the batch's other checks; list by line.
    summary.skipped.sort(key=lambda row: row.line_no)
    staged = conn.execute("SELECT count(*) FROM staging").fetchone()[0]
    if staged == 0:
        raise ImportFileError(
            f"{path} has no valid rows ({summary.skipped_count} skipped); check the code and name columns",
            key="store.error_no_valid_rows",
            path=str(path),
            skipped=summary.skipped_count,
        )
