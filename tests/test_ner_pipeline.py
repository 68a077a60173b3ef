"""Training pipeline: a tiny model learns its data; failures and cancels change nothing."""

import json
import threading

import pytest

from core.errors import Cancelled, DatasetError, TrainingError
from core.jobs import Progress
from core.ner.pipeline import train_and_register
from core.ner.registry import ModelRegistry

pytestmark = pytest.mark.slow


@pytest.fixture
def registry_with_active(tmp_path, ner_tiny_model_dir):
    """A registry folder whose active model is a copy of the tiny model."""
    import shutil

    shutil.copytree(ner_tiny_model_dir, tmp_path / ner_tiny_model_dir.name)
    registry = ModelRegistry(tmp_path)
    version = json.loads((ner_tiny_model_dir / "config.json").read_text())["version"]
    registry.activate(version)
    return registry


def folder_names(registry):
    return sorted(path.name for path in registry.root.iterdir())


def test_tiny_model_learns_data(ner_tiny_report):
    report = ner_tiny_report
    assert report.activated is True
    assert report.previous_active is None
    assert report.test_metrics.f1 >= 0.9
    assert set(report.test_metrics.per_label) == {"BANK", "LOC", "BRANCH"}
    for label, scores in report.test_metrics.per_label.items():
        assert scores.f1 >= 0.85, label


def test_model_folder_contents(ner_tiny_report, ner_tiny_config):
    path = ner_tiny_report.path
    assert sorted(item.name for item in path.iterdir()) == [
        "config.json",
        "ct2",
        "head.npz",
        "labels.json",
        "manifest.json",
        "metrics.json",
        "torch",
        "vocab.txt",
    ]
    config = json.loads((path / "config.json").read_text())
    assert config["version"] == ner_tiny_report.version
    assert config["max_length"] == ner_tiny_config.max_length
    assert config["quantization"] == "int8"
    assert config["base"] == ""
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["config"] == ner_tiny_config.to_dict()
    assert manifest["data_manifest"]["generator"] == "core.ner.simple_data"
    metrics = json.loads((path / "metrics.json").read_text())
    assert metrics["test"]["f1"] == pytest.approx(ner_tiny_report.test_metrics.f1)


def test_malformed_data_leaves_active_model(
    registry_with_active, ner_data_dir, ner_tiny_config, tmp_path_factory
):
    data_dir = tmp_path_factory.mktemp("bad_data")
    for split in ("train", "dev", "test"):
        (data_dir / f"{split}.jsonl").write_text(
            (ner_data_dir / f"{split}.jsonl").read_text(encoding="utf-8"), encoding="utf-8"
        )
    with (data_dir / "test.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"text": "工行", "labels": [{"start": 0, "end": 3, "label": "BANK"}]}\n')
    before = registry_with_active.active_model()
    names_before = folder_names(registry_with_active)

    with pytest.raises(DatasetError, match="test.jsonl line 301"):
        train_and_register(data_dir, ner_tiny_config, registry=registry_with_active)

    assert registry_with_active.active_model() == before
    assert folder_names(registry_with_active) == names_before


def test_failed_training_leaves_active_model(
    registry_with_active, ner_data_dir, ner_tiny_config, tmp_path_factory
):
    base = tmp_path_factory.mktemp("not_bert")
    (base / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    (base / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n工\n", encoding="utf-8")
    before = registry_with_active.active_model()
    names_before = folder_names(registry_with_active)

    with pytest.raises(TrainingError):
        train_and_register(ner_data_dir, ner_tiny_config, base=base, registry=registry_with_active)

    assert registry_with_active.active_model() == before
    assert folder_names(registry_with_active) == names_before


def test_cancelled_training_leaves_active_model(registry_with_active, ner_data_dir, ner_tiny_config):
    progress = Progress()
    before = registry_with_active.active_model()
    names_before = folder_names(registry_with_active)

    def cancel_after_a_few_steps():
        while not progress.cancelled:
            snapshot = progress.snapshot()
            if snapshot.stage == "train" and snapshot.done >= 5:
                progress.cancel()
            threading.Event().wait(0.01)

    canceller = threading.Thread(target=cancel_after_a_few_steps, daemon=True)
    canceller.start()
    with pytest.raises(Cancelled):
        train_and_register(ner_data_dir, ner_tiny_config, progress=progress, registry=registry_with_active)
    canceller.join(timeout=5)

    assert registry_with_active.active_model() == before
    assert folder_names(registry_with_active) == names_before


def test_model_below_threshold_is_registered_not_activated(
    registry_with_active, ner_data_dir, ner_tiny_config
):
    before = registry_with_active.active_model()
    config = ner_tiny_config.replace(min_test_f1=1.01, max_steps=20, eval_steps=20)

    report = train_and_register(ner_data_dir, config, registry=registry_with_active)

    assert report.activated is False
    assert report.previous_active == before.version
    assert registry_with_active.active_model() == before
    assert report.version in [info.version for info in registry_with_active.list_models()]
