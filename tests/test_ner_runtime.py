"""The CPU runtime: entity extraction, the active model and the torch-free import path."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core import paths
from core.errors import ModelError
from core.ner.dataset import read_split
from core.ner.metrics import evaluate_extractor
from core.ner.runtime import NerModel, NerOptions, load_active_model
from core.results import ENTITY_LABELS

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_extract_returns_consistent_spans(ner_tiny_model, ner_data_dir):
    examples = read_split(ner_data_dir, "test")[:50]
    for example, entities in zip(
        examples, ner_tiny_model.extract_batch([e.text for e in examples]), strict=True
    ):
        for entity in entities:
            assert entity.label in ENTITY_LABELS
            assert entity.text == example.text[entity.start : entity.end]
            assert entity.text.strip() == entity.text


def test_extract_spans_index_raw_text(ner_tiny_model):
    """The model reads normalized text but returns spans of the text it was given."""
    text = "中國工商銀行（北京 新華支行）"
    entities = ner_tiny_model.extract(text)
    assert entities
    for entity in entities:
        assert entity.text == text[entity.start : entity.end]
    # Both spellings normalize to the same characters, so the model tags them alike.
    simplified = ner_tiny_model.extract("中国工商银行北京新华支行")
    assert [entity.label for entity in entities] == [entity.label for entity in simplified]


def test_extract_batch_matches_single_extraction(ner_tiny_model):
    texts = ["中国工商银行股份有限公司北京新华支行", "", "北京新华的工行", "工行"]
    batch = ner_tiny_model.extract_batch(texts)
    assert batch == [ner_tiny_model.extract(text) for text in texts]
    assert batch[1] == []


def test_runtime_scores_match_pipeline(ner_tiny_model, ner_tiny_report, ner_data_dir):
    # The model was saved as int8, so the fixture's compute type "int8" runs the same
    # weights as the pipeline's "default".
    metrics = evaluate_extractor(ner_tiny_model, read_split(ner_data_dir, "test"))
    assert metrics.f1 == pytest.approx(ner_tiny_report.test_metrics.f1)


def test_long_text_is_truncated(ner_tiny_model):
    text = "中国工商银行股份有限公司北京新华支行" * 10
    entities = ner_tiny_model.extract(text)
    assert all(entity.end <= ner_tiny_model.max_length - 2 for entity in entities)


def test_options_cap_max_length(ner_tiny_model_dir):
    assert NerModel(ner_tiny_model_dir, NerOptions(max_length=16)).max_length == 16
    assert NerModel(ner_tiny_model_dir, NerOptions(max_length=4096)).max_length == 64


def test_incomplete_model_folder(tmp_path, ner_tiny_model_dir):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(ner_tiny_model_dir, folder)
    (folder / "head.npz").unlink()
    with pytest.raises(ModelError, match="incomplete or damaged"):
        NerModel(folder)


def test_load_active_model(ner_user_model):
    model = load_active_model(NerOptions(intra_threads=1))
    assert model is not None
    assert model.version == ner_user_model.version
    assert model.name == "model"


def test_load_active_model_without_models(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "SHIPPED_MODELS", tmp_path / "no_shipped_models")
    assert load_active_model() is None


def test_load_active_model_with_damaged_folder(ner_user_model):
    (ner_user_model.path / "labels.json").write_text("[")
    assert load_active_model() is None


def test_runtime_does_not_import_torch(ner_tiny_model_dir):
    script = (
        "import sys, json\n"
        "from core.ner.runtime import NerModel\n"
        f"model = NerModel({str(ner_tiny_model_dir)!r})\n"
        "model.extract('北京新华的工行')\n"
        "print(json.dumps(sorted(m for m in ('torch', 'transformers', 'seqeval') if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
