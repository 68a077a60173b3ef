"""Hyper-parameters of NER training, in one dataclass that a TOML or JSON file can set."""

from __future__ import annotations

import dataclasses
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import TrainingError


@dataclass(frozen=True)
class TrainConfig:
    """Model size, optimisation, evaluation and activation settings of one training run.

    The defaults give the shipped model's size. ``build/ner_default.toml`` trains the
    shipped model for 6 epochs instead of 3, and tests shrink the model.
    """

    # Model size, used only when training from scratch (a --base model keeps its own).
    num_layers: int = 4
    hidden_size: int = 256
    num_heads: int = 4
    intermediate_size: int = 1024
    dropout: float = 0.1
    # Maximum tokens per query, [CLS] and [SEP] included; longer queries are truncated.
    max_length: int = 64
    # Characters seen fewer times than this in the vocabulary sources become [UNK].
    min_char_count: int = 1

    learning_rate: float = 5e-4
    # Fraction of all optimiser steps spent warming the learning rate up linearly from 0.
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    max_grad_norm: float = 1.0
    batch_size: int = 64
    epochs: float = 3.0
    # When above 0, training stops after this many optimiser steps even if epochs remain.
    max_steps: int = 0

    # Evaluate on the dev split every eval_steps steps and after the last step; the best
    # checkpoint by dev entity F1 is the one exported.
    eval_steps: int = 500
    # Stop after this many evaluations in a row without a better dev F1; 0 disables it.
    early_stopping_patience: int = 3
    # Dev examples used per evaluation (0 = all), to keep evaluations short.
    max_dev_examples: int = 2000

    seed: int = 13
    # torch CPU threads for training; 0 keeps torch's default.
    threads: int = 0

    # A new model becomes active only with a test-split entity F1 at least this high.
    min_test_f1: float = 0.9
    # CTranslate2 weight type of the exported model: "int8", "int8_float32" or "float32".
    quantization: str = "int8"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> TrainConfig:
        return dataclasses.replace(self, **changes)


def config_from_dict(values: dict[str, Any]) -> TrainConfig:
    """Build a config from a mapping, rejecting unknown keys and values of the wrong type."""
    fields = {item.name: item for item in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise TrainingError(f"unknown training settings {unknown}; valid settings are {sorted(fields)}")
    checked: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(TrainConfig, name)
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not type(default):
            raise TrainingError(
                f"training setting {name} = {value!r} must be of type {type(default).__name__}"
            )
        checked[name] = value
    return TrainConfig(**checked)


def load_config(path: Path) -> TrainConfig:
    """Read a config from a ``.toml`` or ``.json`` file; missing settings keep their defaults."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TrainingError(f"cannot read training config {path}: {error}") from error
    try:
        if path.suffix.lower() == ".json":
            values = json.loads(raw.decode("utf-8"))
        else:
            values = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise TrainingError(
            f"training config {path} is not valid {path.suffix[1:] or 'TOML'}: {error}"
        ) from error
    if not isinstance(values, dict):
        raise TrainingError(f"training config {path} must be a table of settings")
    return config_from_dict(values)
