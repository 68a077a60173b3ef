"""Open the directory database: connection set-up, migrations and the demo directory."""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from core.errors import DatabaseError
from core.paths import PACKAGE_DATA, default_db_path
from core.store.derive import load_city_rows
from core.store.schema import MIGRATIONS, applied_migrations, migrate, pending_migrations

logger = logging.getLogger(__name__)

DEMO_CSV = PACKAGE_DATA / "demo_branches.csv"
BUSY_TIMEOUT_S = 10.0

_BRANCH_COLUMNS = (
    "cnaps_code, name, bank_category, city_code, city_name, province_name, legal_name, "
    "clearing_code, check_digit_ok, import_id"
)


@dataclass(frozen=True)
class BranchRow:
    """One row of ``branches``."""

    cnaps_code: str
    name: str
    bank_category: str  # digits 1-3 of the code
    city_code: str  # digits 4-7 of the code
    city_name: str  # "" when the city code is not in the shipped city table
    province_name: str
    legal_name: str  # "中国工商银行股份有限公司"; "" when the name shows no bank
    clearing_code: str | None
    check_digit_ok: bool
    import_id: int | None  # the import that last added or renamed the row


def _read_only_folder(path: Path) -> bool:
    return path.parent.is_dir() and not os.access(path.parent, os.W_OK)


def database_error(error: sqlite3.Error, path: Path) -> DatabaseError:
    """Translate an SQLite error on ``path`` into a ``DatabaseError`` that names the fix."""
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        key, fix = "store.db_readonly", "make the file and its folder writable, or choose another file"
    elif name == "SQLITE_FULL" or "disk is full" in text:
        key, fix = "store.db_full", "free disk space and retry"
    elif name.startswith("SQLITE_BUSY") or "locked" in text:
        key, fix = "store.db_busy", "wait until the other import finishes and retry"
    elif name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in text or "malformed" in text:
        key, fix = "store.db_corrupt", "choose another file, or delete this one to start from the demo"
    elif name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        # A write past a file size limit (EFBIG) or to a removed drive (EIO) ends
        # here. SQLite has rolled the transaction back.
        key, fix = "store.db_io", "check free disk space and that the drive is still connected, then retry"
    elif (name.startswith("SQLITE_CANTOPEN") or "unable to open" in text) and _read_only_folder(path):
        key, fix = "store.db_readonly", "make the file and its folder writable, or choose another file"
    elif name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        key, fix = "store.db_cannot_open", "check that the folder exists and is accessible"
    else:
        key, fix = "store.db_failed", "see the log for details"
    return DatabaseError(f"database {path}: {text}; {fix}", key=key, path=str(path), detail=text)


class Directory:
    """The bank directory database: a ``sqlite_utils.Database`` plus a few typed reads.

    The connection may be handed to another thread, because a GUI worker runs
    imports. It must not be used by two threads at once, so open one
    ``Directory`` per thread for concurrent use.
    """

    def __init__(self, db: sqlite_utils.Database, path: Path, *, read_only: bool = False) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only

    def count(self) -> int:
        """Return the number of branches."""
        return self.db.execute("SELECT count(*) FROM branches").fetchone()[0]

    def get(self, code: str) -> BranchRow | None:
        """Return the branch with 联行号 ``code``, or None."""
        row = self.db.execute(
            f"SELECT {_BRANCH_COLUMNS} FROM branches WHERE cnaps_code = ?", (code,)
        ).fetchone()
        if row is None:
            return None
        return BranchRow(*row[:8], check_digit_ok=bool(row[8]), import_id=row[9])

    def last_import_id(self) -> int | None:
        """Return the id of the latest finished import, or None before the first."""
        row = self.db.execute("SELECT max(id) FROM imports WHERE finished_at IS NOT NULL").fetchone()
        return row[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Directory:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        if not path.is_file():
            raise DatabaseError(
                f"database {path} does not exist; open it once without read_only to create it",
                key="store.db_missing",
                path=str(path),
            )
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # A WAL database needs its -shm file, which a read-only folder (a shared
            # drive, a CD) cannot hold. "immutable" reads the file without it.
            # NOTE: a process that writes the file meanwhile goes unnoticed, so this
            # is used only when the folder cannot be written at all.
            if os.access(path.parent, os.W_OK) or Path(f"{path}-shm").exists():
                raise
            conn.close()
            logger.warning("%s is in a read-only folder; reading it as an unchanging file", path)
            conn = sqlite3.connect(
                f"{uri}&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
            )
        return conn
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)


def _check_schema(conn: sqlite3.Connection, path: Path, read_only: bool) -> None:
    known = {migration.name for migration in MIGRATIONS}
    unknown = [name for name in applied_migrations(conn) if name not in known]
    if unknown:
        raise DatabaseError(
            f"database {path} was written by a newer bankcode (migrations {', '.join(unknown)}); "
            "update bankcode or choose another file",
            key="store.db_newer",
            path=str(path),
        )
    if read_only and pending_migrations(conn):
        raise DatabaseError(
            f"database {path} has an older schema and is opened read-only; open it once writable to upgrade",
            key="store.db_outdated",
            path=str(path),
        )


def _fill_cities(conn: sqlite3.Connection) -> None:
    if conn.execute("SELECT count(*) FROM cities").fetchone()[0]:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("INSERT OR IGNORE INTO cities VALUES (?, ?, ?, ?)", load_city_rows())
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def open_directory(
    path: Path | None = None, *, create_demo: bool = True, read_only: bool = False
) -> Directory:
    """Open the directory database at ``path`` (default: the user's database), creating it if needed.

    A writable open switches the file to WAL, applies pending migrations, fills
    ``cities`` from the shipped city table and, when ``create_demo`` is set and
    the file has neither an import nor a branch, imports the embedded demo directory
    (12,130 branches). ``read_only`` opens an existing, migrated file without
    writing to it; lookups use it while another process imports.

    Raises ``DatabaseError`` naming the path and the fix when the file cannot be
    opened, written (read-only file, full disk) or migrated.
    """
    path = Path(path) if path is not None else default_db_path()
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path, read_only)
        _check_schema(conn, path, read_only)
        db = sqlite_utils.Database(conn, execute_plugins=False)
        directory = Directory(db, path, read_only=read_only)
        if read_only:
            return directory
        if db.journal_mode != "wal":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        _fill_cities(conn)
    except sqlite3.Error as error:
        if conn is not None:
            conn.close()
        raise database_error(error, path) from error
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    never_imported = not conn.execute("SELECT 1 FROM imports LIMIT 1").fetchone()
    if create_demo and never_imported and directory.count() == 0:
        from core.store.importer import import_directory

        try:
            import_directory(directory, DEMO_CSV, mode="replace")
        except BaseException:
            directory.close()
            raise
    return directory
