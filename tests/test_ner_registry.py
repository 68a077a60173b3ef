"""Model registry: listing, activation, rollback and the shipped fallback."""

import json

import pytest

from core.errors import ModelError
from core.ner.registry import ModelRegistry


def make_model_folder(root, version, test_f1=0.95):
    """Write the files the registry checks for; the CT2 weights are placeholders."""
    folder = root / f"ner-{version}"
    (folder / "ct2").mkdir(parents=True)
    (folder / "ct2" / "model.bin").write_bytes(b"placeholder")
    (folder / "head.npz").write_bytes(b"placeholder")
    (folder / "config.json").write_text(
        json.dumps({"version": version, "created_at": f"{version}Z", "base": "", "max_length": 64})
    )
    (folder / "metrics.json").write_text(json.dumps({"test": {"f1": test_f1}}))
    return folder


def registry_state(root):
    return json.loads((root / "registry.json").read_text(encoding="utf-8"))


def test_empty_registry(tmp_path):
    registry = ModelRegistry(tmp_path)
    assert registry.list_models() == []
    assert registry.active_model() is None


def test_activate_and_rollback(tmp_path):
    registry = ModelRegistry(tmp_path)
    make_model_folder(tmp_path, "v1")
    make_model_folder(tmp_path, "v2")

    registry.activate("v1")
    registry.activate("v2")
    assert registry.active_model().version == "v2"
    assert registry_state(tmp_path) == {"active": "v2", "history": ["v1"]}

    assert registry.rollback().version == "v1"
    assert registry.active_model().version == "v1"
    assert registry_state(tmp_path) == {"active": "v1", "history": []}

    with pytest.raises(ModelError, match="no earlier NER model"):
        registry.rollback()


def test_activate_unknown_version(tmp_path):
    make_model_folder(tmp_path, "v1")
    with pytest.raises(ModelError, match="'v9' not found; available versions: v1"):
        ModelRegistry(tmp_path).activate("v9")


def test_rollback_skips_deleted_versions(tmp_path):
    registry = ModelRegistry(tmp_path)
    for version in ("v1", "v2", "v3"):
        make_model_folder(tmp_path, version)
        registry.activate(version)
    (tmp_path / "ner-v2" / "ct2" / "model.bin").unlink()
    assert registry.rollback().version == "v1"


def test_list_models_ignores_staging_and_broken_folders(tmp_path):
    make_model_folder(tmp_path, "v1")
    staging = make_model_folder(tmp_path, "v2")
    staging.rename(tmp_path / ".staging-v2")
    (make_model_folder(tmp_path, "v3") / "head.npz").unlink()
    infos = ModelRegistry(tmp_path).list_models()
    assert [info.version for info in infos] == ["v1"]
    assert infos[0].test_f1 == 0.95
    assert infos[0].shipped is False


def test_shipped_fallback(tmp_path):
    shipped, user = tmp_path / "shipped", tmp_path / "user"
    make_model_folder(shipped, "v1")
    (shipped / "registry.json").write_text('{"active": "v1", "history": []}')
    make_model_folder(user, "v2")
    registry = ModelRegistry(user, shipped)

    active = registry.active_model()
    assert active.version == "v1"
    assert active.shipped is True
    assert [(info.version, info.active) for info in registry.list_models()] == [("v2", False), ("v1", True)]

    registry.activate("v2")
    assert registry.active_model().version == "v2"
    assert registry.rollback().version == "v1"
    # The shipped folder is never written.
    assert json.loads((shipped / "registry.json").read_text()) == {"active": "v1", "history": []}


def test_damaged_registry_file(tmp_path):
    make_model_folder(tmp_path, "v1")
    (tmp_path / "registry.json").write_text("{not json")
    with pytest.raises(ModelError, match="delete it to start afresh"):
        ModelRegistry(tmp_path).active_model()


def test_new_version_is_unused(tmp_path):
    registry = ModelRegistry(tmp_path)
    first = registry.new_version()
    make_model_folder(tmp_path, first)
    assert registry.new_version() != first


def test_register_moves_staging_folder(tmp_path):
    registry = ModelRegistry(tmp_path)
    staging = registry.staging_dir("v1")
    make_model_folder(tmp_path, "v1").rename(staging)
    path = registry.register(staging, "v1")
    assert path == tmp_path / "ner-v1"
    assert not staging.exists()
    assert [info.version for info in registry.list_models()] == ["v1"]
