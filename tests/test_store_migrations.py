"""Named schema migrations: a new file, an older file and a file from a newer version."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from core.errors import DatabaseError
from core.store import open_directory
from core.store.schema import MIGRATIONS, applied_migrations, migrate

ALL_NAMES = [migration.name for migration in MIGRATIONS]


def _columns(directory, table: str) -> list[str]:
    return [row[1] for row in directory.db.execute(f"PRAGMA table_info({table})")]


def test_new_file_records_every_migration(empty_directory):
    assert applied_migrations(empty_directory.db.conn) == ALL_NAMES
    assert empty_directory.db.execute("PRAGMA user_version").fetchone()[0] == len(ALL_NAMES)


def test_older_file_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    assert migrate(conn, upto="0001_directory") == ["0001_directory"]
    conn.execute(
        "INSERT INTO branches (cnaps_code, name, bank_category, city_code, check_digit_ok) "
        "VALUES ('102100000021', '中国工商银行股份有限公司北京新华支行', '102', '1000', 1)"
    )
    conn.commit()
    conn.close()

    with open_directory(path) as directory:
        assert applied_migrations(directory.db.conn) == ALL_NAMES
        assert _columns(directory, "aliases") == ["id", "alias_text", "cnaps_code", "source", "created_at"]
        assert _columns(directory, "corrections") == [
            "id",
            "at",
            "query",
            "chosen_code",
            "previous_code",
            "status",
            "source",
        ]
        assert _columns(directory, "lookup_log") == [
            "id",
            "at",
            "query",
            "answer_code",
            "confidence",
            "candidates_json",
            "entity_source",
        ]
        assert _columns(directory, "settings") == ["key", "value"]
        # The branch already there survives, and no demo is loaded over it.
        assert directory.count() == 1
        assert directory.get("102100000021").name == "中国工商银行股份有限公司北京新华支行"


def test_older_file_read_only_rejected(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    migrate(conn, upto="0001_directory")
    conn.close()
    with pytest.raises(DatabaseError) as raised:
        open_directory(path, read_only=True)
    assert raised.value.params["key"] == "store.db_outdated"


def test_newer_file_rejected(empty_directory):
    empty_directory.db.execute(
        "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_the_future', '2030-01-01')"
    )
    with pytest.raises(DatabaseError) as raised:
        open_directory(empty_directory.path)
    assert raised.value.params["key"] == "store.db_newer"
    assert "9999_from_the_future" in str(raised.value)


def test_migrate_twice_applies_nothing(empty_directory):
    assert migrate(empty_directory.db.conn) == []
    assert applied_migrations(empty_directory.db.conn) == ALL_NAMES


def test_alias_pair_is_unique(empty_directory):
    insert = (
        "INSERT INTO aliases (alias_text, cnaps_code, source, created_at) "
        "VALUES ('工行知春路', ?, 'local', 'now')"
    )
    empty_directory.db.execute(insert, ["102100020794"])
    empty_directory.db.execute(insert, ["104100004249"])
    with pytest.raises(sqlite3.IntegrityError):
        empty_directory.db.execute(insert, ["102100020794"])


def test_concurrent_first_open_migrates_once(tmp_path):
    path = tmp_path / "race.sqlite"
    errors: list[BaseException] = []

    def open_once() -> None:
        try:
            open_directory(path, create_demo=False).close()
        except BaseException as error:  # reported by the assert below
            errors.append(error)

    threads = [threading.Thread(target=open_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with open_directory(path, create_demo=False) as directory:
        assert applied_migrations(directory.db.conn) == ALL_NAMES
        assert directory.db.execute("SELECT count(*) FROM cities").fetchone()[0] == 2170
