"""CTranslate2 export: the runtime's scores match the torch model's."""

import numpy as np
import pytest
import torch
from transformers import BertForTokenClassification

from core.ner.config import TrainConfig
from core.ner.dataset import read_split
from core.ner.export import export_model
from core.ner.runtime import NerModel, NerOptions
from core.ner.train import build_vocab, train_model

pytestmark = pytest.mark.slow

TEXTS = ["中国工商银行股份有限公司北京新华支行", "北京新华的工行", "工行", "建行(长沙左家塘支行)"]


@pytest.fixture(scope="module")
def trained(ner_data_dir, tmp_path_factory):
    config = TrainConfig(
        num_layers=2,
        hidden_size=64,
        num_heads=2,
        intermediate_size=128,
        max_steps=30,
        eval_steps=30,
        threads=1,
    )
    train = read_split(ner_data_dir, "train")
    vocab = build_vocab(config, [example.text for example in train])
    checkpoint = tmp_path_factory.mktemp("export_checkpoint")
    return config, train_model(train, train[:20], config, checkpoint, vocab=vocab)


def torch_logits(trained_model, texts, max_length):
    model = BertForTokenClassification.from_pretrained(str(trained_model.hf_dir)).eval()
    rows = []
    with torch.no_grad():
        for text in texts:
            ids = torch.tensor([trained_model.vocab.encode(text, max_length)])
            rows.append(model(input_ids=ids).logits[0, 1:-1].numpy())
    return rows


@pytest.mark.parametrize(("quantization", "tolerance"), [("float32", 1e-4), ("int8", 0.25)])
def test_ct2_logits_match_torch(trained, tmp_path, quantization, tolerance):
    config, trained_model = trained
    folder = export_model(
        trained_model, tmp_path / "model", version="test", config=config, quantization=quantization
    )
    runtime = NerModel(folder, NerOptions(compute_type="default", intra_threads=1))

    expected = torch_logits(trained_model, TEXTS, config.max_length)
    actual = runtime.token_logits(TEXTS)

    for text, want, got in zip(TEXTS, expected, actual, strict=True):
        assert got.shape == (len(text), 7)
        assert np.abs(got - want).max() < tolerance, text
