# --- store fixtures: directory databases in tmp_path -------------------------------
import shutil as _store_shutil
from pathlib import Path as _StorePath

import pytest as _store_pytest

STORE_DATA = _StorePath(__file__).resolve().parent / "data"


@_store_pytest.fixture(autouse=True)
def bankcode_home(tmp_path_factory, monkeypatch):
    """Point BANKCODE_HOME at a fresh folder so no test touches the real user data."""
    home = tmp_path_factory.mktemp("bankcode_home")
    monkeypatch.setenv("BANKCODE_HOME", str(home))
    return home


@_store_pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory):
    """A database file holding the embedded demo directory, built once per session."""
    from core.store import open_directory

    path = tmp_path_factory.mktemp("demo_template") / "directory.sqlite"
    open_directory(path).close()
    return path


@_store_pytest.fixture
def demo_directory(demo_db_template, tmp_path):
    """A writable copy of the demo directory database, opened; closed after the test."""
    from core.store import open_directory

    path = tmp_path / "directory.sqlite"
    _store_shutil.copyfile(demo_db_template, path)
    directory = open_directory(path)
    yield directory
    directory.close()


@_store_pytest.fixture
def empty_directory(tmp_path):
    """A migrated database with no branches, opened; closed after the test."""
    from core.store import open_directory

    directory = open_directory(tmp_path / "empty.sqlite", create_demo=False)
    yield directory
    directory.close()
