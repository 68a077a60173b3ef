"""Concurrent use and hostile storage: readers during an import, two app instances,
read-only files and folders, and a full disk.

Every case ends in a consistent result or a ``DatabaseError`` naming the database
path, and the database passes ``PRAGMA integrity_check`` afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.errors import DatabaseError
from core.i18n import describe_error
from core.store import import_directory, open_directory
from core.store.fts import trigram_query
from helpers import write_directory_csv

ROOT = Path(__file__).resolve().parent.parent


def _integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def _branches(path: Path) -> dict[str, str]:
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return dict(conn.execute("SELECT cnaps_code, name FROM branches"))


@pytest.fixture
def two_directories(tmp_path):
    """A database holding 1,000 "old" branches, and a file of 6,000 "new" ones."""
    old_file, new_file = tmp_path / "old.csv", tmp_path / "new.csv"
    old = write_directory_csv(old_file, 1000, "旧")
    new = write_directory_csv(new_file, 6000, "新")
    path = tmp_path / "directory.sqlite"
    with open_directory(path, create_demo=False) as directory:
        import_directory(directory, old_file)
    return path, new_file, old, new


def _start_child(script: str, home: Path) -> subprocess.Popen:
    env = {**os.environ, "BANKCODE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# An import in a child process that writes STARTED once it holds the write lock
# and PAUSE seconds later goes on.
SLOW_IMPORT = """
    import time
    from pathlib import Path
    from core.jobs import Progress
    from core.store import import_directory, open_directory

    db, source, started, pause = {args}

    class Signalling(Progress):
        def start_stage(self, stage, total=0):
            super().start_stage(stage, total)
            if stage == "read":
                Path(started).write_text("started")
                time.sleep(pause)

    with open_directory(db, create_demo=False) as directory:
        import_directory(directory, source, progress=Signalling())
    print("imported")
"""


def _wait_for(path: Path, child: subprocess.Popen, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if child.poll() is not None:
            pytest.fail(f"child exited early: {child.stderr.read().decode(errors='replace')}")
        assert time.monotonic() < deadline, "the child did not start its import"
        time.sleep(0.02)


def test_readers_see_old_or_new_during_import(two_directories, tmp_path):
    path, new_file, old, new = two_directories
    started = tmp_path / "started"
    child = _start_child(
        SLOW_IMPORT.format(args=repr((str(path), str(new_file), str(started), 1.0))), tmp_path
    )
    _wait_for(started, child)

    # A second app instance opens the file writable while the first one imports.
    second = open_directory(path, create_demo=False)
    reader = open_directory(path, read_only=True)
    seen = set()
    match = trigram_query("农村商业银行")
    try:
        while child.poll() is None or not seen:
            rows = dict(reader.db.execute("SELECT cnaps_code, name FROM branches"))
            assert rows in (old, new), f"a reader saw {len(rows)} rows, neither old nor new"
            hits = reader.db.execute(
                "SELECT count(*) FROM branches_fts WHERE branches_fts MATCH ?", (match,)
            ).fetchone()[0]
            assert hits in (len(old), len(new))
            assert second.count() in (len(old), len(new))
            seen.add("old" if rows == old else "new")
            time.sleep(0.01)
        rows = dict(reader.db.execute("SELECT cnaps_code, name FROM branches"))
    finally:
        second.close()
        reader.close()
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == 0, stderr.decode(errors="replace")
    assert rows == new
    assert "old" in seen
    assert _integrity(path) == "ok"


def test_lookup_engine_builds_during_import(two_directories, tmp_path):
    from core.lookup.engine import LookupEngine

    path, new_file, old, new = two_directories
    started = tmp_path / "started"
    child = _start_child(
        SLOW_IMPORT.format(args=repr((str(path), str(new_file), str(started), 0.2))), tmp_path
    )
    _wait_for(started, child)
    with open_directory(path, read_only=True) as directory:
        engine = LookupEngine(directory, use_cache=False)
        assert len(engine.index) in (len(old), len(new))
        result = engine.lookup("测试旧农村商业银行第7支行")
        assert result.candidates
    child.communicate(timeout=120)
    assert child.returncode == 0


@pytest.mark.slow
def test_instances_start_together_on_new_file(tmp_path):
    """Three app instances create one new database at once; each opens it with the demo directory."""
    path = tmp_path / "new.sqlite"
    script = f"""
        from core.store import open_directory
        with open_directory({str(path)!r}) as directory:
            print(directory.count())
    """
    children = [_start_child(script, tmp_path) for _ in range(3)]
    counts = []
    for child in children:
        stdout, stderr = child.communicate(timeout=300)
        assert child.returncode == 0, stderr.decode(errors="replace")
        counts.append(int(stdout.decode().split()[-1]))
    assert counts == [12130, 12130, 12130]
    assert _integrity(path) == "ok"
    assert len(_branches(path)) == 12130


@pytest.mark.slow
def test_second_import_waits_then_reports_busy(two_directories, tmp_path):
    """Two imports at once: the second waits for the lock, then fails with a clear busy error."""
    from core.store import directory as directory_module

    path, new_file, old, new = two_directories
    started = tmp_path / "started"
    pause_s = directory_module.BUSY_TIMEOUT_S + 5
    child = _start_child(
        SLOW_IMPORT.format(args=repr((str(path), str(new_file), str(started), pause_s))), tmp_path
    )
    _wait_for(started, child)
    try:
        with open_directory(path, create_demo=False) as second, pytest.raises(DatabaseError) as caught:
            import_directory(second, new_file, mode="merge")
    finally:
        child.kill()
        child.communicate(timeout=60)
    assert caught.value.params["key"] == "store.db_busy"
    assert str(path) in str(caught.value)
    assert _integrity(path) == "ok"
    assert _branches(path) == old


# ---- read-only storage -------------------------------------------------------------


def _run_root(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(path: Path):
    """Make the file or folder ``path`` read-only for this process, also when the tests run as root.

    chmod does not stop root, so under root ``path`` is bind-mounted read-only
    instead; the test is skipped where neither works.
    """
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not (_run_root("mount", "--bind", str(path), str(path))):
        pytest.skip("running as root without permission to bind-mount")
    try:
        if not _run_root("mount", "-o", "remount,bind,ro", str(path)):
            pytest.skip("running as root without permission to remount read-only")
        yield
    finally:
        _run_root("umount", str(path))


def _check_readonly_error(error: DatabaseError, path: Path) -> None:
    assert str(path) in str(error)
    assert error.params["key"] == "store.db_readonly"
    assert str(path) in describe_error(error)


def test_read_only_file_rejects_import(two_directories, tmp_path):
    path, new_file, old, new = two_directories
    with read_only(path):
        with pytest.raises(DatabaseError) as caught:  # noqa: SIM117
            with open_directory(path, create_demo=False) as directory:
                import_directory(directory, new_file)
        _check_readonly_error(caught.value, path)
    assert _integrity(path) == "ok"
    assert _branches(path) == old


def test_read_only_folder_rejects_import_and_allows_lookups(two_directories, tmp_path):
    path, new_file, old, new = two_directories
    folder = tmp_path / "ro"
    folder.mkdir()
    copy = folder / "directory.sqlite"
    shutil.copyfile(path, copy)
    with read_only(folder):
        with pytest.raises(DatabaseError) as caught:  # noqa: SIM117
            with open_directory(copy, create_demo=False) as directory:
                import_directory(directory, new_file)
        _check_readonly_error(caught.value, copy)
        # Lookups still work: a branch may keep its directory on a read-only share.
        with open_directory(copy, read_only=True) as directory:
            assert directory.count() == len(old)
    assert _integrity(copy) == "ok"
    assert _branches(copy) == old


def test_new_database_in_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder), pytest.raises(DatabaseError) as caught:
        open_directory(folder / "directory.sqlite")
    _check_readonly_error(caught.value, folder / "directory.sqlite")


# ---- full disk ---------------------------------------------------------------------


LIMITED_IMPORT = """
    import json, resource, signal, sys
    from core.errors import DatabaseError
    from core.store import import_directory, open_directory

    db, source, limit = {args}
    directory = open_directory(db, create_demo=False)
    # A write past RLIMIT_FSIZE fails with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    try:
        import_directory(directory, source)
    except DatabaseError as error:
        print(json.dumps({{"key": error.params.get("key"), "message": str(error)}}))
    else:
        print(json.dumps({{"key": None}}))
"""


def test_file_size_limit_gives_clear_error(two_directories, tmp_path):
    """A write beyond RLIMIT_FSIZE, which any user can set, simulates a full disk."""
    path, new_file, old, new = two_directories
    # The old directory fits; the import's write-ahead log and temporary files do not.
    limit = path.stat().st_size + 256 * 1024
    child = _start_child(LIMITED_IMPORT.format(args=repr((str(path), str(new_file), limit))), tmp_path)
    stdout, stderr = child.communicate(timeout=300)
    assert child.returncode == 0, stderr.decode(errors="replace")
    report = json.loads(stdout.decode().strip().splitlines()[-1])
    assert report["key"] == "store.db_io", report
    assert str(path) in report["message"]
    assert _integrity(path) == "ok"
    assert _branches(path) == old


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 3 MiB tmpfs mounted in ``tmp_path``; skipped unless the tests may mount one (root)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0 or not _run_root("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)):
        pytest.skip("mounting a tmpfs needs root")
    yield mount_point
    _run_root("umount", str(mount_point))


def test_full_disk_gives_clear_error(two_directories, tiny_tmpfs):
    path, new_file, old, new = two_directories
    copy = tiny_tmpfs / "directory.sqlite"
    shutil.copyfile(path, copy)
    with pytest.raises(DatabaseError) as caught:  # noqa: SIM117
        with open_directory(copy, create_demo=False) as directory:
            import_directory(directory, new_file)
    assert caught.value.params["key"] == "store.db_full"
    assert str(copy) in str(caught.value)
    assert _integrity(copy) == "ok"
    assert _branches(copy) == old
