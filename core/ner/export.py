"""Conversion of a trained checkpoint into a runtime model folder.

A model folder contains:

* ``ct2/``: the BERT encoder converted by CTranslate2 (weights quantized as configured);
* ``head.npz``: the token-classification layer (``weight`` [tags, hidden], ``bias`` [tags]),
  applied in numpy because CTranslate2's ``Encoder`` returns only hidden states;
* ``vocab.txt``, ``labels.json`` (the tag of each output index) and ``config.json``.

The training pipeline adds ``metrics.json`` and ``manifest.json``.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import TrainingError
from core.ner.config import TrainConfig
from core.ner.labels import TAGS
from core.ner.train import TrainedModel

logger = logging.getLogger(__name__)

# Bumped when the folder layout changes in a way the runtime must know about.
MODEL_FORMAT = 1


def export_model(
    trained: TrainedModel,
    output_dir: Path,
    *,
    version: str,
    config: TrainConfig,
    quantization: str | None = None,
) -> Path:
    """Write the model folder for ``trained`` into ``output_dir`` and return it."""
    from ctranslate2.converters import TransformersConverter
    from safetensors.numpy import load_file

    started = time.monotonic()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    quantization = quantization or config.quantization
    try:
        TransformersConverter(str(trained.hf_dir)).convert(
            str(output_dir / "ct2"), quantization=quantization, force=True
        )
    except Exception as error:  # the converter raises plain exceptions of many kinds
        raise TrainingError(f"CTranslate2 conversion of {trained.hf_dir} failed: {error}") from error

    weights = load_file(str(trained.hf_dir / "model.safetensors"))
    np.savez(
        output_dir / "head.npz",
        weight=weights["classifier.weight"].astype(np.float32),
        bias=weights["classifier.bias"].astype(np.float32),
    )
    trained.vocab.save(output_dir / "vocab.txt")
    _write_json(output_dir / "labels.json", list(TAGS))
    hf_config = json.loads((trained.hf_dir / "config.json").read_text(encoding="utf-8"))
    _write_json(
        output_dir / "config.json",
        {
            "format": MODEL_FORMAT,
            "version": version,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "base": trained.base,
            "max_length": config.max_length,
            "quantization": quantization,
            "num_layers": hf_config.get("num_hidden_layers"),
            "hidden_size": hf_config.get("hidden_size"),
            "vocab_size": len(trained.vocab),
        },
    )
    logger.info(
        "exported %s to %s (%s) in %.1f s",
        trained.hf_dir,
        output_dir,
        quantization,
        time.monotonic() - started,
    )
    return output_dir


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
