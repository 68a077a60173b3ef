"""BIO conversion, the character vocabulary and the training config."""

import json

import numpy as np
import pytest

from core.errors import ModelError, TrainingError
from core.ner.config import TrainConfig, load_config
from core.ner.dataset import normalized_example
from core.ner.labels import TAG_TO_ID, TAGS, decode_tags, entities_from_tags, tags_from_entities
from core.ner.vocab import SPECIAL_TOKENS, CharVocab
from core.results import Entity


def test_tag_set():
    assert TAGS == ("O", "B-BANK", "I-BANK", "B-LOC", "I-LOC", "B-BRANCH", "I-BRANCH")


def test_tags_from_entities():
    entities = [Entity("BANK", 0, 2, "工行"), Entity("BRANCH", 2, 5, "知春路")]
    assert tags_from_entities(5, entities) == ["B-BANK", "I-BANK", "B-BRANCH", "I-BRANCH", "I-BRANCH"]


@pytest.mark.parametrize(
    ("text", "tags", "expected"),
    [
        (
            "工行知春路",
            ["B-BANK", "I-BANK", "B-BRANCH", "I-BRANCH", "I-BRANCH"],
            [Entity("BANK", 0, 2, "工行"), Entity("BRANCH", 2, 5, "知春路")],
        ),
        # I- without a B- opens a span.
        (
            "工行知春路",
            ["I-BANK", "I-BANK", "O", "I-BRANCH", "I-BRANCH"],
            [Entity("BANK", 0, 2, "工行"), Entity("BRANCH", 3, 5, "春路")],
        ),
        # An I- of another label closes the open span and opens its own.
        (
            "工行知春路",
            ["B-BANK", "I-BANK", "I-BRANCH", "I-BRANCH", "I-BRANCH"],
            [Entity("BANK", 0, 2, "工行"), Entity("BRANCH", 2, 5, "知春路")],
        ),
        # B- right after a span of the same label starts a second span.
        (
            "北京海淀",
            ["B-LOC", "I-LOC", "B-LOC", "I-LOC"],
            [Entity("LOC", 0, 2, "北京"), Entity("LOC", 2, 4, "海淀")],
        ),
        # Spaces and punctuation are trimmed from span edges; a punctuation-only span is dropped.
        (
            "建行(左家塘支行)",
            [
                "B-BANK",
                "I-BANK",
                "I-BRANCH",
                "I-BRANCH",
                "I-BRANCH",
                "I-BRANCH",
                "I-BRANCH",
                "I-BRANCH",
                "I-BRANCH",
            ],
            [Entity("BANK", 0, 2, "建行"), Entity("BRANCH", 3, 8, "左家塘支行")],
        ),
        (" 工行 ", ["B-BANK", "I-BANK", "I-BANK", "I-BANK"], [Entity("BANK", 1, 3, "工行")]),
        ("（）", ["B-LOC", "I-LOC"], []),
        ("工行", ["O", "O"], []),
        # Tags past the text (a caller's padding) are ignored; missing tags count as O.
        ("工行", ["B-BANK", "I-BANK", "I-BANK"], [Entity("BANK", 0, 2, "工行")]),
        ("工行", ["B-BANK"], [Entity("BANK", 0, 1, "工")]),
    ],
)
def test_entities_from_tags(text, tags, expected):
    assert entities_from_tags(text, tags) == expected


def test_normalized_example_moves_spans():
    text = "中國銀行（石家莊 師範街支行）"
    entities = [
        Entity("BANK", 0, 4, "中國銀行"),
        Entity("LOC", 5, 8, "石家莊"),
        Entity("BRANCH", 9, 14, "師範街支行"),
        Entity("BRANCH", 14, 15, "）"),
    ]
    example = normalized_example(text, entities)
    assert example.text == "中国银行石家庄师范街支行"
    # The bracket-only span has no character left, so it is dropped.
    assert [(entity.label, entity.text) for entity in example.entities] == [
        ("BANK", "中国银行"),
        ("LOC", "石家庄"),
        ("BRANCH", "师范街支行"),
    ]
    for entity in example.entities:
        assert example.text[entity.start : entity.end] == entity.text


def _scores(*rows: dict[str, float]) -> np.ndarray:
    """Tag scores per character: the named tags get their value, every other tag 0."""
    logits = np.zeros((len(rows), len(TAGS)))
    for position, row in enumerate(rows):
        for tag, value in row.items():
            logits[position, TAG_TO_ID[tag]] = value
    return logits


def test_decode_tags_keeps_valid_argmax():
    logits = _scores({"B-BANK": 5}, {"I-BANK": 5}, {"O": 5}, {"B-BRANCH": 5}, {"I-BRANCH": 5})
    assert decode_tags(logits) == ["B-BANK", "I-BANK", "O", "B-BRANCH", "I-BRANCH"]


def test_decode_tags_never_opens_with_inside_tag():
    # The argmax would start with I-LOC. The best first tag that fits is B-LOC.
    logits = _scores({"I-LOC": 6, "B-LOC": 5}, {"I-LOC": 6})
    assert decode_tags(logits) == ["B-LOC", "I-LOC"]


def test_decode_tags_doubtful_middle_character():
    # Argmax reads B-BRANCH I-LOC I-BRANCH, which repair would split in three spans.
    logits = _scores({"B-BRANCH": 6}, {"I-LOC": 3, "I-BRANCH": 2.5}, {"I-BRANCH": 6})
    assert decode_tags(logits) == ["B-BRANCH", "I-BRANCH", "I-BRANCH"]


def test_decode_tags_empty():
    assert decode_tags(np.zeros((0, len(TAGS)))) == []


def test_vocab_encode_maps_unknown_and_truncates():
    vocab = CharVocab.build(["工行知春路", "建行"])
    ids = vocab.encode("工行X知春路", max_length=6)
    assert ids[0] == vocab.cls_id
    assert ids[-1] == vocab.sep_id
    assert len(ids) == 6
    assert ids[3] == vocab.unk_id
    assert ids[1:3] == [vocab.token_id("工"), vocab.token_id("行")]


def test_vocab_round_trip_keeps_space_token(tmp_path):
    vocab = CharVocab.build(["工行 知春路"])
    vocab.save(tmp_path / "vocab.txt")
    loaded = CharVocab.load(tmp_path / "vocab.txt")
    assert loaded.tokens == vocab.tokens
    assert loaded.tokens[: len(SPECIAL_TOKENS)] == list(SPECIAL_TOKENS)
    assert loaded.token_id(" ") != loaded.unk_id


def test_vocab_without_special_tokens_is_rejected(tmp_path):
    (tmp_path / "vocab.txt").write_text("工\n行\n", encoding="utf-8")
    with pytest.raises(ModelError, match="special tokens"):
        CharVocab.load(tmp_path / "vocab.txt")


def test_config_from_toml_and_json(tmp_path):
    (tmp_path / "a.toml").write_text(
        "num_layers = 2\nlearning_rate = 1\nquantization = 'float32'\n", encoding="utf-8"
    )
    (tmp_path / "a.json").write_text(
        json.dumps({"num_layers": 2, "learning_rate": 1, "quantization": "float32"})
    )
    expected = TrainConfig(num_layers=2, learning_rate=1.0, quantization="float32")
    assert load_config(tmp_path / "a.toml") == expected
    assert load_config(tmp_path / "a.json") == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("num_layer = 2\n", "unknown training settings"),
        ("num_layers = '2'\n", "must be of type int"),
        ("epochs = true\n", "must be of type float"),
        ("num_layers = \n", "not valid"),
    ],
)
def test_config_errors(tmp_path, content, message):
    (tmp_path / "bad.toml").write_text(content, encoding="utf-8")
    with pytest.raises(TrainingError, match=message):
        load_config(tmp_path / "bad.toml")
