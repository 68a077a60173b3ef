"""Crash safety: a process killed with SIGKILL mid-job leaves the old state or the new one.

Each test runs the job in a child Python process whose ``Progress`` writes a
marker file at a chosen point and then waits, so the kill lands at that point.
The parent kills the child with SIGKILL and checks what a restarted app finds.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core.store import import_directory, open_directory
from helpers import write_directory_csv

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_S = 180

# A Progress that writes READY_FILE at the chosen stage (after its first advance, or
# at its start when AT_START is set) and then sleeps until it is killed.
PAUSING_PROGRESS = textwrap.dedent(
    """
    import time
    from pathlib import Path
    from core.jobs import Progress

    class PausingProgress(Progress):
        def __init__(self, stage, ready_file, at_start=False, pause_s=600.0):
            super().__init__()
            self.pause_stage, self.ready_file = stage, Path(ready_file)
            self.at_start, self.pause_s = at_start, pause_s
            self.current = ""

        def _pause(self):
            self.ready_file.write_text("ready")
            time.sleep(self.pause_s)

        def start_stage(self, stage, total=0):
            super().start_stage(stage, total)
            self.current = stage
            if self.at_start and stage == self.pause_stage:
                self._pause()

        def advance(self, count=1):
            super().advance(count)
            if not self.at_start and self.current == self.pause_stage:
                self._pause()

        def set_done(self, done, total=None):
            super().set_done(done, total)
            if not self.at_start and self.current == self.pause_stage and done:
                self._pause()
    """
)


def _run_and_kill(script: str, ready_file: Path, home: Path, *, extra_delay_s: float = 0.0) -> None:
    """Run ``script`` in a child process, SIGKILL it once ``ready_file`` exists, and reap it."""
    env = {**os.environ, "BANKCODE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING_PROGRESS + textwrap.dedent(script)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + READY_TIMEOUT_S
    try:
        while not ready_file.exists():
            if child.poll() is not None:
                output = child.stdout.read().decode(errors="replace") if child.stdout else ""
                pytest.fail(f"child exited with {child.returncode} before the kill point:\n{output}")
            if time.monotonic() > deadline:
                pytest.fail(f"child did not reach the kill point in {READY_TIMEOUT_S} s")
            time.sleep(0.05)
        if extra_delay_s:
            time.sleep(extra_delay_s)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout:
            child.stdout.close()


# ---- directory import --------------------------------------------------------------


def _branches(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT cnaps_code, name FROM branches"))


def _check_database(path: Path, old: dict[str, str], new: dict[str, str]) -> str:
    """Check integrity and that the database contains exactly ``old`` or ``new``; return which."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO branches_fts (branches_fts) VALUES ('integrity-check')")
    with open_directory(path, create_demo=False) as directory:
        stored = dict(directory.db.execute("SELECT cnaps_code, name FROM branches"))
        fts_count = directory.db.execute("SELECT count(*) FROM branches_fts").fetchone()[0]
        open_imports = directory.db.execute(
            "SELECT count(*) FROM imports WHERE finished_at IS NULL"
        ).fetchone()[0]
    assert stored in (old, new), (
        f"{len(stored)} rows are neither the old ({len(old)}) nor the new ({len(new)})"
    )
    assert fts_count == len(stored)
    assert open_imports == 0
    return "old" if stored == old else "new"


@pytest.fixture
def imported_database(tmp_path):
    """A database holding 2,000 "old" branches and a file of 12,000 "new" ones."""
    old_file, new_file = tmp_path / "old.csv", tmp_path / "new.csv"
    old = write_directory_csv(old_file, 2000, "旧")
    new = write_directory_csv(new_file, 12000, "新")
    path = tmp_path / "directory.sqlite"
    with open_directory(path, create_demo=False) as directory:
        import_directory(directory, old_file)
    return path, new_file, old, new


IMPORT_SCRIPT = """
    from core.store import import_directory, open_directory
    db, source, stage, ready, at_start, pause = {args}
    progress = PausingProgress(stage, ready, at_start=at_start == "1", pause_s=float(pause))
    with open_directory(db, create_demo=False) as directory:
        import_directory(directory, source, progress=progress)
"""


@pytest.mark.parametrize(
    ("stage", "at_start", "pause_s", "extra_delay_s"),
    [
        ("read", "0", 600.0, 0.0),  # after the first 5,000 rows are staged
        ("write", "1", 600.0, 0.0),  # all rows staged, changes not yet applied
        # Killed somewhere while the changes are written or committed.
        pytest.param("write", "1", 0.0, 0.3, marks=pytest.mark.slow),
        pytest.param("write", "1", 0.0, 1.0, marks=pytest.mark.slow),
    ],
)
def test_killed_import_leaves_old_or_new(
    imported_database, tmp_path, stage, at_start, pause_s, extra_delay_s
):
    path, new_file, old, new = imported_database
    ready = tmp_path / "ready"
    args = repr((str(path), str(new_file), stage, str(ready), at_start, str(pause_s)))
    _run_and_kill(IMPORT_SCRIPT.format(args=args), ready, tmp_path / "home", extra_delay_s=extra_delay_s)

    found = _check_database(path, old, new)
    if pause_s:
        assert found == "old"
    # A new import after the crash succeeds and replaces everything.
    with open_directory(path, create_demo=False) as directory:
        import_directory(directory, new_file)
    assert _branches(path) == new


# ---- dataset write -----------------------------------------------------------------


DATASET_SCRIPT = """
    from pathlib import Path
    from core.augment.dataset import build_dataset
    from core.augment.options import AugmentOptions
    from core.store import open_directory
    db, out, stage, ready, at_start = {args}
    progress = PausingProgress(stage, ready, at_start=at_start == "1")
    options = AugmentOptions(use_llm=False, per_branch=2, max_branches=300, seed={seed})
    with open_directory(db, read_only=True) as directory:
        build_dataset(directory, Path(out), options, progress=progress)
"""


def _check_dataset(out_dir: Path) -> dict | None:
    """Return the manifest of a complete data folder, or None when it is absent."""
    if not out_dir.exists():
        return None
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    for split, counts in manifest["splits"].items():
        lines = (out_dir / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(lines) == counts["samples"], split
        for line in lines:
            json.loads(line)
        exported = (out_dir / "export" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(exported) == counts["samples"], split
    return manifest


@pytest.mark.parametrize(
    ("stage", "at_start"),
    [
        pytest.param("rules", "0", marks=pytest.mark.slow),  # while samples are generated
        ("write", "0"),  # after the first split file is written
        pytest.param("write", "1", marks=pytest.mark.slow),  # before any file is written
    ],
)
def test_killed_dataset_write_leaves_no_partial_folder(demo_db_template, tmp_path, stage, at_start):
    out_dir = tmp_path / "data"
    ready = tmp_path / "ready"
    args = repr((str(demo_db_template), str(out_dir), stage, str(ready), at_start))
    _run_and_kill(DATASET_SCRIPT.format(args=args, seed=1), ready, tmp_path / "home")
    assert _check_dataset(out_dir) is None

    # Over an existing data folder, the old folder survives whole.
    from core.augment.dataset import build_dataset
    from core.augment.options import AugmentOptions

    with open_directory(demo_db_template, read_only=True) as directory:
        build_dataset(
            directory, out_dir, AugmentOptions(use_llm=False, per_branch=2, max_branches=100, seed=1)
        )
    before = _check_dataset(out_dir)
    ready.unlink()
    _run_and_kill(DATASET_SCRIPT.format(args=args, seed=2), ready, tmp_path / "home")
    assert _check_dataset(out_dir) == before


SWAP_PAUSE = """
    import os, time
    from pathlib import Path

    real_replace = os.replace

    def pausing_replace(source, target):
        real_replace(source, target)
        if ".previous-" in str(target):
            Path({ready!r}).write_text("ready")
            time.sleep(600)

    os.replace = pausing_replace
"""


def test_dataset_killed_between_renames_is_restored(demo_db_template, tmp_path):
    """A kill after the old folder is moved aside and before the new one is moved in."""
    from core.augment.dataset import build_dataset, recover_interrupted_write
    from core.augment.options import AugmentOptions

    out_dir = tmp_path / "data"
    with open_directory(demo_db_template, read_only=True) as directory:
        build_dataset(
            directory, out_dir, AugmentOptions(use_llm=False, per_branch=2, max_branches=100, seed=1)
        )
    before = _check_dataset(out_dir)
    ready = tmp_path / "ready"
    args = repr((str(demo_db_template), str(out_dir), "none", str(tmp_path / "unused"), "0"))
    script = SWAP_PAUSE.format(ready=str(ready)) + DATASET_SCRIPT.format(args=args, seed=2)
    _run_and_kill(script, ready, tmp_path / "home")
    assert not out_dir.exists()
    assert list(tmp_path.glob(".data.previous-*"))

    recover_interrupted_write(out_dir)
    assert _check_dataset(out_dir) == before
    assert list(tmp_path.glob(".data.*")) == []


# ---- training and activation -------------------------------------------------------


@pytest.fixture
def user_registry(ner_tiny_model_dir, tmp_path):
    """A registry folder with the tiny model copied in and active."""
    import shutil

    from core.ner.registry import ModelRegistry

    root = tmp_path / "models"
    shutil.copytree(ner_tiny_model_dir, root / ner_tiny_model_dir.name)
    registry = ModelRegistry(root)
    version = registry.list_models()[0].version
    registry.activate(version)
    return registry, version


def _active_model_loads(registry) -> str:
    from core.ner.runtime import NerModel, NerOptions

    active = registry.active_model()
    assert active is not None
    model = NerModel(active.path, NerOptions(intra_threads=1))
    assert model.extract("工行北京新华支行") is not None
    return active.version


TRAIN_SCRIPT = """
    from pathlib import Path
    from core.ner.config import config_from_dict
    from core.ner.pipeline import train_and_register
    from core.ner.registry import ModelRegistry
    root, data, settings, stage, ready, at_start = {args}
    progress = PausingProgress(stage, ready, at_start=at_start == "1")
    registry = ModelRegistry(Path(root))
    train_and_register(Path(data), config_from_dict(settings), progress=progress, registry=registry)
"""


@pytest.mark.slow
# After the first training step, and with the model exported and evaluated but not yet
# moved into the registry. Each case trains the tiny model once in the child (10 to 50 s).
@pytest.mark.parametrize(("stage", "at_start"), [("train", "0"), ("register", "1")])
def test_killed_training_keeps_active_model(
    user_registry, ner_data_dir, ner_tiny_config, tmp_path, stage, at_start
):
    registry, version = user_registry
    ready = tmp_path / "ready"
    settings = ner_tiny_config.to_dict()
    args = repr((str(registry.root), str(ner_data_dir), settings, stage, str(ready), at_start))
    _run_and_kill(TRAIN_SCRIPT.format(args=args), ready, tmp_path / "home")

    assert [info.version for info in registry.list_models()] == [version]
    assert _active_model_loads(registry) == version


ACTIVATE_SCRIPT = """
    from pathlib import Path
    from core.ner.registry import ModelRegistry
    root, versions, ready = {args}
    registry = ModelRegistry(Path(root))
    for turn in range(100000):
        registry.activate(versions[turn % 2])
        if turn == 0:
            Path(ready).write_text("ready")
"""


def test_killed_activation_leaves_a_loadable_model(user_registry, tmp_path):
    import shutil

    registry, version = user_registry
    # A second version: the same files under another name.
    other = "19990101-000000"
    target = registry.root / f"ner-{other}"
    shutil.copytree(registry.active_model().path, target)
    config = json.loads((target / "config.json").read_text(encoding="utf-8"))
    (target / "config.json").write_text(json.dumps({**config, "version": other}), encoding="utf-8")

    for delay_s in (0.0, 0.05, 0.2):
        ready = tmp_path / f"ready-{delay_s}"
        args = repr((str(registry.root), [other, version], str(ready)))
        _run_and_kill(ACTIVATE_SCRIPT.format(args=args), ready, tmp_path / "home", extra_delay_s=delay_s)
        assert _active_model_loads(registry) in (version, other)
        json.loads((registry.root / "registry.json").read_text(encoding="utf-8"))
