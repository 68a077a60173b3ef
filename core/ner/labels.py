"""The NER tag set and the BIO conversions shared by training, evaluation and the runtime.

Tags follow BIO: ``B-X`` opens a span of label X, ``I-X`` continues it, ``O`` is outside.
This module imports only numpy, because the runtime uses it without torch.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np

from core.results import ENTITY_LABELS, Entity

TAGS: tuple[str, ...] = ("O",) + tuple(f"{prefix}-{label}" for label in ENTITY_LABELS for prefix in "BI")
TAG_TO_ID: dict[str, int] = {tag: index for index, tag in enumerate(TAGS)}

# A finite stand-in for log(0), so that sums of forbidden steps never become NaN.
_FORBIDDEN = -1e9


def _allowed_steps() -> tuple[np.ndarray, np.ndarray]:
    """Return the BIO constraints as additive scores: per first tag, and per (previous, next) pair."""
    first = np.array([_FORBIDDEN if tag.startswith("I-") else 0.0 for tag in TAGS])
    steps = np.zeros((len(TAGS), len(TAGS)))
    for previous, previous_tag in enumerate(TAGS):
        for following, following_tag in enumerate(TAGS):
            if following_tag.startswith("I-") and previous_tag[2:] != following_tag[2:]:
                steps[previous, following] = _FORBIDDEN
    return first, steps


_FIRST_SCORES, _STEP_SCORES = _allowed_steps()


def decode_tags(logits: np.ndarray) -> list[str]:
    """Return the most probable valid BIO sequence for per-character tag scores [characters, tags].

    Viterbi search over the log-softmax of ``logits`` where an ``I-X`` may only follow
    ``B-X`` or ``I-X``. Unlike a per-character argmax, it never has to repair a span
    afterwards, so a doubtful first character cannot split an entity in two.
    """
    if len(logits) == 0:
        return []
    shifted = logits - logits.max(axis=1, keepdims=True)
    scores = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    best = scores[0] + _FIRST_SCORES
    back = np.zeros(scores.shape, dtype=np.intp)
    for position in range(1, len(scores)):
        total = best[:, None] + _STEP_SCORES
        back[position] = total.argmax(axis=0)
        best = total.max(axis=0) + scores[position]
    path = [int(best.argmax())]
    for position in range(len(scores) - 1, 0, -1):
        path.append(int(back[position, path[-1]]))
    return [TAGS[tag_id] for tag_id in reversed(path)]


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
