"""Reading a labelled data folder: ``train.jsonl``, ``dev.jsonl``, ``test.jsonl`` and ``manifest.json``.

Each line is ``{"text", "labels": [{"start", "end", "label", "text"}], ...}`` with exact
character spans; other keys (``cnaps_code``, ``kind``, ``source``) are ignored here.
Examples hold the normalized text (``core.text.normalize``), which is what the lookup
engine gives the model at run time: simplified characters, no punctuation or spaces.
"""

from __future__ import annotations

import bisect
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import DatasetError
from core.results import ENTITY_LABELS, Entity
from core.text.normalize import normalize

logger = logging.getLogger(__name__)

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Example:
    """One labelled query."""

    text: str
    entities: tuple[Entity, ...]


def read_split(data_dir: Path, split: str) -> list[Example]:
    """Read ``data_dir/<split>.jsonl``; raise ``DatasetError`` naming the first bad line."""
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise DatasetError(f"training data file {path} is missing; generate the data with `bankcode augment`")
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                examples.append(example_from_record(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise DatasetError(f"{path} line {number} is malformed: {error}") from error
    if not examples:
        raise DatasetError(f"training data file {path} contains no examples")
    logger.info("read %d examples from %s", len(examples), path)
    return examples


def read_manifest(data_dir: Path) -> dict[str, Any]:
    """Return the folder's ``manifest.json``, or an empty dict when it has none."""
    path = Path(data_dir) / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DatasetError(f"manifest {path} cannot be read: {error}") from error


def example_from_record(record: Mapping[str, Any]) -> Example:
    """Build the normalized example of one sample record; raise ``ValueError`` on an invalid one."""
    text = record["text"]
    if not isinstance(text, str) or not text:
        raise ValueError("'text' must be a non-empty string")
    entities = []
    for label in record["labels"]:
        start, end, name = int(label["start"]), int(label["end"]), label["label"]
        if name not in ENTITY_LABELS:
            raise ValueError(f"label {name!r} is not one of {ENTITY_LABELS}")
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}:{end} lies outside the {len(text)}-character text")
        if "text" in label and label["text"] != text[start:end]:
            raise ValueError(f"span {start}:{end} is {text[start:end]!r}, not {label['text']!r}")
        entities.append(Entity(name, start, end, text[start:end]))
    return normalized_example(text, entities)


def normalized_example(text: str, entities: Iterable[Entity]) -> Example:
    """Return the example of ``text`` normalized, each entity moved onto the normalized text.

    An entity made only of dropped characters (a bracket, a space) disappears.
    """
    normalized = normalize(text)
    offsets = normalized.offsets
    moved = []
    for entity in entities:
        # Offsets never decrease, so the kept characters of a span are one run.
        start = bisect.bisect_left(offsets, entity.start)
        end = bisect.bisect_left(offsets, entity.end)
        if start < end:
            moved.append(Entity(entity.label, start, end, normalized.text[start:end]))
    return Example(normalized.text, tuple(sorted(moved, key=lambda entity: entity.start)))
