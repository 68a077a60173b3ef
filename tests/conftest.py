"""Shared fixtures: directory databases, a tiny trained NER model and a lookup engine."""

import json
import shutil
from pathlib import Path

import pytest

# --- store fixtures: directory databases in tmp_path -------------------------------
STORE_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def bankcode_home(tmp_path_factory, monkeypatch):
    """Point BANKCODE_HOME at a fresh folder so no test touches the real user data."""
    home = tmp_path_factory.mktemp("bankcode_home")
    monkeypatch.setenv("BANKCODE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory):
    """A database file holding the embedded demo directory, built once per session."""
    from core.store import open_directory

    path = tmp_path_factory.mktemp("demo_template") / "directory.sqlite"
    open_directory(path).close()
    return path


@pytest.fixture
def demo_directory(demo_db_template, tmp_path):
    """A writable copy of the demo directory database, opened; closed after the test."""
    from core.store import open_directory

    path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, path)
    directory = open_directory(path)
    yield directory
    directory.close()


@pytest.fixture
def demo_db_path(demo_db_template, tmp_path):
    """The path of a writable copy of the demo directory database, not opened."""
    path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, path)
    return path


@pytest.fixture
def empty_directory(tmp_path):
    """A migrated database with no branches, opened; closed after the test."""
    from core.store import open_directory

    directory = open_directory(tmp_path / "empty.sqlite", create_demo=False)
    yield directory
    directory.close()


# --- ner fixtures: a tiny NER model trained once per session ------------------------

# A 2-layer, 64-wide model that learns the rule-built data in about 10 s on 2 cores.
NER_TINY_SETTINGS = {
    "num_layers": 2,
    "hidden_size": 64,
    "num_heads": 2,
    "intermediate_size": 128,
    "batch_size": 32,
    "epochs": 12.0,
    "eval_steps": 200,
    "learning_rate": 3e-3,
    "warmup_ratio": 0.1,
    "threads": 1,
    "min_test_f1": 0.9,
}


@pytest.fixture(scope="session")
def ner_data_dir(tmp_path_factory):
    """Rule-built labelled queries from 400 demo names; dev and test are drawn from train.

    Scoring on seen texts checks that the tiny model learns the data, which is all that
    a 10-second training can show.
    """
    import csv

    from core import paths
    from core.ner.simple_data import write_rule_dataset

    with (paths.PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)][::30]
    data_dir = tmp_path_factory.mktemp("ner_data")
    write_rule_dataset(data_dir, names=names, size=2000, seed=3)
    train_lines = (data_dir / "train.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (data_dir / "dev.jsonl").write_text("".join(train_lines[300:500]), encoding="utf-8")
    (data_dir / "test.jsonl").write_text("".join(train_lines[:300]), encoding="utf-8")
    return data_dir


@pytest.fixture(scope="session")
def ner_tiny_config():
    from core.ner.config import config_from_dict

    return config_from_dict(dict(NER_TINY_SETTINGS))


@pytest.fixture(scope="session")
def ner_tiny_report(ner_data_dir, ner_tiny_config, tmp_path_factory):
    """The ``TrainReport`` of the tiny model, registered and activated in its own registry folder."""
    from core.ner.pipeline import train_and_register
    from core.ner.registry import ModelRegistry

    registry = ModelRegistry(tmp_path_factory.mktemp("ner_tiny_models"))
    return train_and_register(ner_data_dir, ner_tiny_config, registry=registry)


@pytest.fixture(scope="session")
def ner_tiny_model_dir(ner_tiny_report):
    """The tiny model's folder (``ct2/``, ``head.npz``, ``vocab.txt`` ...); treat it as read-only."""
    return ner_tiny_report.path


@pytest.fixture
def ner_tiny_model(ner_tiny_model_dir):
    """The tiny model loaded with the CPU runtime (a ``core.results.EntityExtractor``)."""
    from core.ner.runtime import NerModel, NerOptions

    return NerModel(ner_tiny_model_dir, NerOptions(intra_threads=1))


@pytest.fixture
def ner_user_model(ner_tiny_model_dir, bankcode_home):
    """The tiny model copied into the user's models folder and activated there."""
    from core.ner.registry import default_registry

    target = Path(bankcode_home) / "models" / ner_tiny_model_dir.name
    shutil.copytree(ner_tiny_model_dir, target)
    version = json.loads((target / "config.json").read_text(encoding="utf-8"))["version"]
    return default_registry().activate(version)


# --- lookup fixtures: one engine over the demo directory, shared by the session -----


@pytest.fixture(scope="session")
def lookup_engine(demo_db_template):
    """A ``LookupEngine`` over a read-only open of the demo directory (about 2 s to build)."""
    from core.lookup.engine import LookupEngine
    from core.store import open_directory

    directory = open_directory(demo_db_template, read_only=True)
    # No index cache: a session fixture runs before BANKCODE_HOME points at a test folder.
    yield LookupEngine(directory, use_cache=False)
    directory.close()
