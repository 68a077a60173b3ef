"""The NER tag set and the BIO conversions shared by training, evaluation and the runtime.

Tags follow BIO: ``B-X`` opens a span of label X, ``I-X`` continues it, ``O`` is outside.
This module imports nothing heavy, because the runtime uses it without torch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from core.results import ENTITY_LABELS, Entity

TAGS: tuple[str, ...] = ("O",) + tuple(f"{prefix}-{label}" for label in ENTITY_LABELS for prefix in "BI")
TAG_TO_ID: dict[str, int] = {tag: index for index, tag in enumerate(TAGS)}


def tags_from_entities(length: int, entities: Iterable[Entity]) -> list[str]:
    """Tag each of ``length`` characters; a later entity overwrites an overlapping earlier one."""
    tags = ["O"] * length
    for entity in entities:
        start, end = max(entity.start, 0), min(entity.end, length)
        if start >= end:
            continue
        tags[start] = f"B-{entity.label}"
        for index in range(start + 1, end):
            tags[index] = f"I-{entity.label}"
    return tags


def entities_from_tags(text: str, tags: Sequence[str]) -> list[Entity]:
    """Decode per-character tags into entities, repairing invalid BIO sequences.

    An ``I-X`` that does not continue a span of X opens a new one. A tag of another
    label closes the open span. Spaces and punctuation are trimmed from both ends of
    each span, so a span of punctuation only is dropped.
    """
    entities: list[Entity] = []
    label: str | None = None
    start = 0
    for index, tag in enumerate(list(tags)[: len(text)] + ["O"]):
        prefix, _, tag_label = tag.partition("-")
        continues = prefix == "I" and tag_label == label
        if label is not None and not continues:
            _append_trimmed(entities, text, label, start, index)
            label = None
        if prefix in ("B", "I") and not continues:
            label, start = tag_label, index
    return entities


def _append_trimmed(entities: list[Entity], text: str, label: str, start: int, end: int) -> None:
    while start < end and _is_separator(text[start]):
        start += 1
    while end > start and _is_separator(text[end - 1]):
        end -= 1
    if start < end:
        entities.append(Entity(label, start, end, text[start:end]))


def _is_separator(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in ("P", "Z")
