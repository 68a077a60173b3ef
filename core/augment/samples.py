"""Training samples and the span arithmetic that keeps them exact.

A sample is the dict written to the JSONL files::

    {"text": "江油西山的华夏银行",
     "labels": [{"start": 0, "end": 2, "label": "LOC", "text": "江油"}, ...],
     "cnaps_code": "304659000016", "kind": "colloquial", "source": "rules"}

Generators never compute offsets by hand: they build a list of segments, each a piece
of text with its label or ``None``, and ``compose`` joins them. The offsets therefore
match ``text`` by construction, and ``invalid_spans`` re-checks a sample read back
from disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypedDict

from core.names.parts import UNIT_TYPES
from core.results import ENTITY_LABELS
from core.text.normalize import normalize_text


class Label(TypedDict):
    start: int
    end: int
    label: str
    text: str


class Sample(TypedDict):
    text: str
    labels: list[Label]
    cnaps_code: str
    kind: str
    source: str  # "rules" or "llm"


# A piece of a sample's text and its entity label, or None for filler ("的", "那个").
Segment = tuple[str, str | None]


def compose(segments: Iterable[Segment]) -> tuple[str, list[Label]]:
    """Join segments into one text and the labels of its labelled, non-empty segments.

    A place directly followed by a bare unit type becomes part of the BRANCH label
    (see ``merge_places_into_units``).
    """
    parts: list[str] = []
    labels: list[Label] = []
    offset = 0
    for piece, label in segments:
        if not piece:
            continue
        if label is not None:
            labels.append({"start": offset, "end": offset + len(piece), "label": label, "text": piece})
        parts.append(piece)
        offset += len(piece)
    text = "".join(parts)
    return text, merge_places_into_units(text, labels)


def merge_places_into_units(text: str, labels: Sequence[Label]) -> list[Label]:
    """Label a place directly followed by a bare unit type as one BRANCH ("江油市" + "支行").

    A branch named after its place has no other name, so ``core.names.parts`` labels
    the place and the unit together. Both are compared as the model reads them, after
    normalization: "分理處" is a unit, and "蔚县 支行" is adjacent because the space goes.
    """
    ordered = sorted(labels, key=lambda item: item["start"])
    merged: list[Label] = []
    for label in ordered:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous["label"] == "LOC"
            and label["label"] == "BRANCH"
            and not normalize_text(text[previous["end"] : label["start"]])
            and normalize_text(label["text"]) in UNIT_TYPES
        ):
            start = previous["start"]
            merged[-1] = {
                "start": start,
                "end": label["end"],
                "label": "BRANCH",
                "text": text[start : label["end"]],
            }
            continue
        merged.append(label)
    return merged


def make_sample(segments: Iterable[Segment], cnaps_code: str, kind: str, source: str = "rules") -> Sample:
    text, labels = compose(segments)
    return {"text": text, "labels": labels, "cnaps_code": cnaps_code, "kind": kind, "source": source}


def segments_of(sample: Sample) -> list[Segment]:
    """Split a sample back into segments, so a transformation can act on each piece."""
    return _split(sample["text"], sample["labels"])


def recompose(segments: Iterable[Segment]) -> list[Segment]:
    """Return ``segments`` relabelled as ``compose`` labels them, ready for a transformation."""
    return _split(*compose(segments))


def _split(text: str, labels: Sequence[Label]) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for label in sorted(labels, key=lambda item: item["start"]):
        if label["start"] > position:
            segments.append((text[position : label["start"]], None))
        segments.append((text[label["start"] : label["end"]], label["label"]))
        position = label["end"]
    if position < len(text):
        segments.append((text[position:], None))
    return segments


def invalid_spans(sample: Sample) -> list[str]:
    """Describe each broken label of ``sample`` in English; an empty list means all are valid.

    A label is broken when its offsets fall outside the text, its text differs from
    the slice it points at, its label is unknown, it is empty, or it overlaps another.
    """
    problems: list[str] = []
    text = sample.get("text", "")
    previous_end = 0
    for label in sorted(sample.get("labels", []), key=lambda item: (item["start"], item["end"])):
        start, end = label["start"], label["end"]
        if label["label"] not in ENTITY_LABELS:
            problems.append(f"unknown label {label['label']!r}")
        if not 0 <= start < end <= len(text):
            problems.append(f"offsets {start}-{end} outside a text of {len(text)} characters")
        elif text[start:end] != label["text"]:
            problems.append(f"span {start}-{end} is {text[start:end]!r}, label text is {label['text']!r}")
        if start < previous_end:
            problems.append(f"span {start}-{end} overlaps the span before it")
        previous_end = max(previous_end, end)
    return problems


def label_texts(sample: Sample, label: str) -> list[str]:
    return [item["text"] for item in sample["labels"] if item["label"] == label]


def spans_of(labels: Sequence[Label]) -> list[tuple[int, int, str]]:
    return [(item["start"], item["end"], item["label"]) for item in labels]
