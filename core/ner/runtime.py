"""The NER runtime: a CTranslate2 encoder and a numpy classification head, without torch.

model = NerModel("models/ner-20261204-201530", NerOptions(intra_threads=1))
model.extract("江油西山的华夏银行")  # a list of core.results.Entity, in text order
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np

from core.errors import BankcodeError, ModelError
from core.ner.labels import TAGS, decode_tags, entities_from_tags
from core.ner.registry import default_registry
from core.ner.vocab import CharVocab
from core.results import Entity
from core.text.normalize import normalize

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NerOptions:
    """Device and thread settings of the runtime, passed on to ``ctranslate2.Encoder``."""

    # "cpu", "cuda" or "auto"; the product ships and tests the CPU path only.
    device: str = "cpu"
    # CTranslate2 compute type; "int8" runs int8 matrix products, "default" keeps the
    # type the model was saved with, "float32" dequantizes an int8 model on load.
    compute_type: str = "int8"
    # OpenMP threads used inside one forward pass; 0 lets CTranslate2 choose. One is the
    # default because a query is about a dozen tokens. On a 2-core machine the p50 per
    # query was 0.55 ms with 1 thread, and 0.99 ms (idle) to 4.96 ms (busy) with 2,
    # measured with build/bench_ner.py.
    intra_threads: int = 1
    # Batches that may run in parallel, each with intra_threads threads.
    inter_threads: int = 1
    # Maximum tokens per query including [CLS] and [SEP]; None uses the model's own
    # limit, and a larger value is capped to it because position embeddings end there.
    max_length: int | None = None


class NerModel:
    """A model folder written by ``core.ner.export``, usable as a ``core.results.EntityExtractor``."""

    name = "model"

    def __init__(self, path: Path | str, options: NerOptions | None = None) -> None:
        self.path = Path(path)
        self.options = options or NerOptions()
        try:
            config = json.loads((self.path / "config.json").read_text(encoding="utf-8"))
            tags = json.loads((self.path / "labels.json").read_text(encoding="utf-8"))
            with np.load(self.path / "head.npz") as head:
                self._weight = np.ascontiguousarray(head["weight"].T, dtype=np.float32)
                self._bias = head["bias"].astype(np.float32)
        except (OSError, ValueError, KeyError) as error:
            raise ModelError(
                f"NER model folder {self.path} is incomplete or damaged ({error}); "
                "train or activate another model"
            ) from error
        self.vocab = CharVocab.load(self.path / "vocab.txt")
        self.tags: list[str] = list(tags)
        self.version: str = str(config.get("version", self.path.name))
        model_length = int(config["max_length"])
        self.max_length = min(self.options.max_length or model_length, model_length)
        if self.tags != list(TAGS):
            raise ModelError(
                f"NER model {self.path}: labels.json lists the tags {self.tags}, but this version "
                f"decodes {list(TAGS)}; train the model again"
            )
        if self._weight.shape[1] != len(self.tags):
            raise ModelError(
                f"NER model {self.path}: head.npz has {self._weight.shape[1]} outputs "
                f"for {len(self.tags)} tags; export the model again"
            )
        try:
            self._encoder = ctranslate2.Encoder(
                str(self.path / "ct2"),
                device=self.options.device,
                compute_type=self.options.compute_type,
                intra_threads=self.options.intra_threads,
                inter_threads=self.options.inter_threads,
            )
        except (RuntimeError, ValueError) as error:
            raise ModelError(f"CTranslate2 cannot load {self.path / 'ct2'}: {error}") from error
        logger.info(
            "loaded NER model %s from %s (%s, %s)",
            self.version,
            self.path,
            self.options.device,
            self.options.compute_type,
        )

    def extract(self, text: str) -> list[Entity]:
        return self.extract_batch([text])[0]

    def extract_batch(self, texts: list[str]) -> list[list[Entity]]:
        """Tag each text; characters past ``max_length - 2`` are never part of an entity.

        The model reads each text normalized, as it was trained (``core.text.normalize``),
        and the entities come back as spans of the text given.
        """
        results: list[list[Entity]] = [[] for _ in texts]
        normalized = [normalize(text) for text in texts]
        indices = [index for index, item in enumerate(normalized) if item.text]
        if not indices:
            return results
        logits = self.token_logits([normalized[index].text for index in indices])
        for index, text_logits in zip(indices, logits, strict=True):
            tags = decode_tags(text_logits)
            text = texts[index]
            for entity in entities_from_tags(normalized[index].text, tags):
                start, end = normalized[index].span_to_original(entity.start, entity.end)
                results[index].append(Entity(entity.label, start, end, text[start:end]))
        return results

    def token_logits(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Return, per text, the tag scores of its characters: an array [characters, tags]."""
        batch = [self.vocab.encode(text, self.max_length) for text in texts]
        hidden = np.asarray(self._encoder.forward_batch(batch).last_hidden_state)
        logits = hidden @ self._weight + self._bias
        return [logits[row, 1 : len(ids) - 1] for row, ids in enumerate(batch)]


def load_active_model(options: NerOptions | None = None) -> NerModel | None:
    """Load the active model, or return None when none is registered or it cannot be loaded.

    A model that fails to load is logged, not raised, so that lookups continue with the
    rule-based parser.
    """
    try:
        info = default_registry().active_model()
        if info is None:
            return None
        return NerModel(info.path, options)
    except BankcodeError as error:
        logger.error("active NER model not loaded, falling back to rules: %s", error)
        return None
