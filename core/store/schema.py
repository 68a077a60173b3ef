"""Schema of the directory database as named migrations.

Each migration runs once, inside the transaction that records its name in
``schema_migrations``. ``PRAGMA user_version`` is set to the number applied, so
an external tool can see the version without reading the table. Append new
migrations at the end and never edit one that has shipped: an existing user
database has already run it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    """One named, ordered schema change."""

    name: str
    apply: Callable[[sqlite3.Connection], None]


def _create_directory_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE cities (
            city_code TEXT PRIMARY KEY,
            city_name TEXT NOT NULL,
            province_name TEXT NOT NULL,
            province_code TEXT NOT NULL
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            format TEXT NOT NULL,
            encoding TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('replace', 'merge')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            added INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            removed INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            check_digit_warnings INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE branches (
            cnaps_code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            bank_category TEXT NOT NULL,
            city_code TEXT NOT NULL,
            city_name TEXT NOT NULL DEFAULT '',
            province_name TEXT NOT NULL DEFAULT '',
            legal_name TEXT NOT NULL DEFAULT '',
            clearing_code TEXT,
            check_digit_ok INTEGER NOT NULL CHECK (check_digit_ok IN (0, 1)),
            import_id INTEGER REFERENCES imports(id)
        )
        """
    )
    conn.execute("CREATE INDEX branches_bank_category ON branches(bank_category)")
    conn.execute("CREATE INDEX branches_city_code ON branches(city_code)")
    conn.execute("CREATE INDEX branches_legal_name ON branches(legal_name)")
    conn.execute(
        """
        CREATE TABLE directory_changes (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            cnaps_code TEXT NOT NULL,
            change TEXT NOT NULL CHECK (change IN ('added', 'renamed', 'removed')),
            old_name TEXT,
            new_name TEXT,
            at TEXT NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX directory_changes_import ON directory_changes(import_id)")
    # Both full-text tables use rowid = the code as an integer, which is stable
    # across VACUUM (a rowid of ``branches`` is not) and lets the importer update
    # one row without a scan. ``branches_chars`` is contentless because its text
    # is only a respelling of the name: that halves its size and its build time.
    # See core/store/fts.py for what each one indexes and how to query it.
    conn.execute(
        """
        CREATE VIRTUAL TABLE branches_fts USING fts5(
            cnaps_code UNINDEXED, name, tokenize = 'trigram'
        )
        """
    )
    conn.execute(
        """
        CREATE VIRTUAL TABLE branches_chars USING fts5(
            name, tokenize = 'unicode61', content = ''
        )
        """
    )


def _create_lookup_tables(conn: sqlite3.Connection) -> None:
    conn.execute(
        """
        CREATE TABLE aliases (
            id INTEGER PRIMARY KEY,
            alias_text TEXT NOT NULL,
            cnaps_code TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (alias_text, cnaps_code)
        )
        """
    )
    conn.execute("CREATE INDEX aliases_cnaps_code ON aliases(cnaps_code)")
    conn.execute(
        """
        CREATE TABLE lookup_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            query TEXT NOT NULL,
            answer_code TEXT,
            confidence REAL,
            candidates_json TEXT,
            entity_source TEXT
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            query TEXT NOT NULL,
            chosen_code TEXT NOT NULL,
            previous_code TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'undone')),
            source TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'imported'))
        )
        """
    )
    conn.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)")


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_directory", _create_directory_tables),
    Migration("0002_lookup_tables", _create_lookup_tables),
)


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Return the names recorded in ``schema_migrations``, or [] for a new file."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY id")]


def pending_migrations(conn: sqlite3.Connection) -> list[Migration]:
    done = set(applied_migrations(conn))
    return [migration for migration in MIGRATIONS if migration.name not in done]


def migrate(conn: sqlite3.Connection, *, upto: str | None = None) -> list[str]:
    """Apply the pending migrations in order and return their names.

    ``upto`` stops after the named migration; tests use it to build an older
    schema. The connection must not be inside a transaction. The write lock is
    taken before the pending list is read, so two processes opening a new file
    at once apply each migration exactly once.
    """
    applied: list[str] = []
    if applied_migrations(conn) and not pending_migrations(conn):
        # Up to date: take no write lock, so opening the file while another
        # process imports into it does not wait for that import.
        return applied
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                applied_at TEXT NOT NULL
            )
            """
        )
        for migration in pending_migrations(conn):
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (migration.name, now_iso()),
            )
            applied.append(migration.name)
            if migration.name == upto:
                break
        count = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(count)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if applied:
        logger.info("applied schema migrations %s", ", ".join(applied))
    return applied


def now_iso() -> str:
    """Return the current UTC time as ISO 8601 with seconds, as stored in every ``at`` column."""
    return datetime.now(UTC).isoformat(timespec="seconds")
