"""The directory database: creation with the demo, typed reads, WAL reads during writes, errors."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from core.errors import DatabaseError
from core.jobs import Progress
from core.store import BranchRow, import_directory, open_directory
from core.store.directory import database_error

STORE_DATA = Path(__file__).resolve().parent / "data"

DEMO_ROWS = 12_130
TABLES = {
    "branches",
    "cities",
    "imports",
    "directory_changes",
    "schema_migrations",
    "aliases",
    "lookup_log",
    "corrections",
    "settings",
    "branches_fts",
    "branches_chars",
}


def test_default_path_creates_demo(bankcode_home):
    with open_directory() as directory:
        assert directory.path == bankcode_home / "directory.sqlite"
        assert directory.count() == DEMO_ROWS
        imports = list(directory.db.query("SELECT file_name, mode, added, removed FROM imports"))
    assert imports == [
        {"file_name": "demo_branches.csv", "mode": "replace", "added": DEMO_ROWS, "removed": 0}
    ]


def test_reopen_keeps_user_directory(tmp_path):
    path = tmp_path / "directory.sqlite"
    with open_directory(path, create_demo=False) as directory:
        import_directory(directory, STORE_DATA / "import_utf8.csv")
    with open_directory(path) as directory:
        assert directory.count() == 32
        assert directory.db.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_create_demo_false_is_empty(empty_directory):
    assert empty_directory.count() == 0
    assert set(empty_directory.db.table_names()) >= TABLES
    assert empty_directory.db.execute("SELECT count(*) FROM cities").fetchone()[0] == 2170
    assert empty_directory.db.journal_mode == "wal"


def test_get_returns_whole_row(demo_directory):
    assert demo_directory.get("102100000021") == BranchRow(
        cnaps_code="102100000021",
        name="中国工商银行股份有限公司北京新华支行",
        bank_category="102",
        city_code="1000",
        city_name="北京市",
        province_name="北京市",
        legal_name="中国工商银行股份有限公司",
        clearing_code=None,
        check_digit_ok=True,
        import_id=1,
    )


def test_get_missing_code(demo_directory):
    assert demo_directory.get("999999999999") is None


def test_check_digit_flag_on_demo(demo_directory):
    failing = [
        row[0]
        for row in demo_directory.db.execute("SELECT cnaps_code FROM branches WHERE check_digit_ok = 0")
    ]
    assert failing == ["314653617115"]
    assert demo_directory.get("314653617115").check_digit_ok is False


def test_read_only_open_reads(demo_directory):
    with open_directory(demo_directory.path, read_only=True) as reader:
        assert reader.read_only
        assert reader.count() == DEMO_ROWS
        with pytest.raises(sqlite3.OperationalError) as raised:
            reader.db.execute("DELETE FROM branches")
        assert database_error(raised.value, reader.path).params["key"] == "store.db_readonly"


def test_read_only_missing_file(tmp_path):
    with pytest.raises(DatabaseError) as raised:
        open_directory(tmp_path / "absent.sqlite", read_only=True)
    assert raised.value.params["key"] == "store.db_missing"
    assert str(tmp_path / "absent.sqlite") in str(raised.value)


def test_import_into_read_only_rejected(demo_directory):
    with (
        open_directory(demo_directory.path, read_only=True) as reader,
        pytest.raises(DatabaseError) as raised,
    ):
        import_directory(reader, STORE_DATA / "import_utf8.csv")
    assert raised.value.params["key"] == "store.db_opened_read_only"


class _ReadDuringImport(Progress):
    """Progress that reads the database from a second connection inside the import's transaction."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.counts: list[int] = []

    def advance(self, count: int = 1) -> None:
        super().advance(count)
        with open_directory(self.path, read_only=True) as reader:
            self.counts.append(reader.count())


def test_read_while_import_writes(demo_directory):
    progress = _ReadDuringImport(demo_directory.path)
    summary = import_directory(demo_directory, STORE_DATA / "import_utf8.csv", progress=progress)
    # Inside the import's transaction the reader still saw the whole demo directory.
    assert progress.counts == [DEMO_ROWS]
    assert summary.total == 32
    with open_directory(demo_directory.path, read_only=True) as reader:
        assert reader.count() == 32


def test_read_from_thread_while_writer_holds_lock(demo_directory):
    demo_directory.db.conn.execute("BEGIN IMMEDIATE")
    demo_directory.db.conn.execute("DELETE FROM branches")
    counts: list[int] = []

    def read() -> None:
        with open_directory(demo_directory.path, read_only=True) as reader:
            counts.append(reader.count())

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=30)
    demo_directory.db.conn.execute("ROLLBACK")
    assert counts == [DEMO_ROWS]


def test_full_disk_raises_and_keeps_data(demo_directory):
    pages = demo_directory.db.execute("PRAGMA page_count").fetchone()[0]
    demo_directory.db.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = STORE_DATA / "import_utf8.csv"
    before = demo_directory.count()
    with pytest.raises(DatabaseError) as raised:
        # Replacing 12,130 rows by 32 needs new pages for the change records.
        import_directory(demo_directory, big)
    assert raised.value.params["key"] == "store.db_full"
    assert str(demo_directory.path) in str(raised.value)
    assert demo_directory.count() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_raises_database_error(demo_db_template, tmp_path):
    path = tmp_path / "locked.sqlite"
    path.write_bytes(demo_db_template.read_bytes())
    path.chmod(0o444)
    with open_directory(path) as directory, pytest.raises(DatabaseError) as raised:
        import_directory(directory, STORE_DATA / "import_utf8.csv")
    assert raised.value.params["key"] == "store.db_readonly"


def test_not_a_database(tmp_path):
    path = tmp_path / "text.sqlite"
    path.write_text("这不是数据库\n" * 200, encoding="utf-8")
    with pytest.raises(DatabaseError) as raised:
        open_directory(path)
    assert raised.value.params["key"] == "store.db_corrupt"


def test_folder_as_database_path(tmp_path):
    with pytest.raises(DatabaseError) as raised:
        open_directory(tmp_path)
    assert raised.value.params["key"] == "store.db_cannot_open"


WRITER_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("BEGIN IMMEDIATE")
conn.execute("DELETE FROM branches")
print("writing", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_read_while_other_process_writes(demo_directory):
    import subprocess
    import sys

    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(demo_directory.path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        with open_directory(demo_directory.path, read_only=True) as reader:
            assert reader.count() == DEMO_ROWS
        writer.stdin.write("\n")
        writer.stdin.flush()
        assert writer.wait(timeout=60) == 0
    finally:
        writer.kill()
    with open_directory(demo_directory.path, read_only=True) as reader:
        assert reader.count() == 0


def test_writable_open_during_import(demo_directory, monkeypatch):
    from core.store import directory as directory_module

    monkeypatch.setattr(directory_module, "BUSY_TIMEOUT_S", 0.2)
    demo_directory.db.conn.execute("BEGIN IMMEDIATE")
    demo_directory.db.conn.execute("DELETE FROM branches")
    try:
        with open_directory(demo_directory.path) as second:
            assert second.count() == DEMO_ROWS
            with pytest.raises(DatabaseError) as raised:
                import_directory(second, STORE_DATA / "import_utf8.csv")
            assert raised.value.params["key"] == "store.db_busy"
    finally:
        demo_directory.db.conn.execute("ROLLBACK")
