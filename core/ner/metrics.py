"""Entity-level precision, recall and F1 (seqeval, strict span and label match)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from core.ner.dataset import Example
from core.ner.labels import tags_from_entities
from core.results import Entity, EntityExtractor


@dataclass(frozen=True)
class LabelScores:
    """Scores of one entity label; ``support`` counts the gold entities."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class EntityMetrics:
    """Micro-averaged scores over all labels, with the scores of each label."""

    precision: float
    recall: float
    f1: float
    support: int
    per_label: dict[str, LabelScores] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def score_entities(
    texts: Sequence[str], gold: Sequence[Sequence[Entity]], predicted: Sequence[Sequence[Entity]]
) -> EntityMetrics:
    """Compare predicted with gold entities, text by text, as IOB2 sequences in seqeval's strict mode."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    if not any(gold) and not any(predicted):
        return EntityMetrics(0.0, 0.0, 0.0, 0)
    gold_tags = [tags_from_entities(len(text), entities) for text, entities in zip(texts, gold, strict=True)]
    predicted_tags = [
        tags_from_entities(len(text), entities) for text, entities in zip(texts, predicted, strict=True)
    ]
    report = classification_report(
        gold_tags, predicted_tags, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    per_label = {
        label: LabelScores(
            float(row["precision"]), float(row["recall"]), float(row["f1-score"]), int(row["support"])
        )
        for label, row in report.items()
        if not label.endswith(" avg")
    }
    micro = report.get("micro avg", {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
    return EntityMetrics(
        float(micro["precision"]),
        float(micro["recall"]),
        float(micro["f1-score"]),
        int(micro["support"]),
        per_label,
    )


def evaluate_extractor(
    extractor: EntityExtractor, examples: Sequence[Example], batch_size: int = 64
) -> EntityMetrics:
    """Run ``extractor`` over the examples' texts and score its entities against theirs."""
    texts = [example.text for example in examples]
    predicted: list[list[Entity]] = []
    for offset in range(0, len(texts), batch_size):
        predicted.extend(extractor.extract_batch(texts[offset : offset + batch_size]))
    return score_entities(texts, [example.entities for example in examples], predicted)
