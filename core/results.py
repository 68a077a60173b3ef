"""Value types shared by the lookup engine, the NER runtime, the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

ENTITY_LABELS = ("BANK", "LOC", "BRANCH")


@dataclass(frozen=True)
class Entity:
    """A labelled span of a query: ``text == query[start:end]``."""

    label: str  # one of ENTITY_LABELS
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """A directory branch proposed for a query, with its ranking score in [0, 1]."""

    cnaps_code: str
    name: str
    score: float
    bank_name: str = ""
    province: str = ""
    city: str = ""


@dataclass(frozen=True)
class LookupResult:
    """The outcome of one lookup.

    ``answer`` is set only when the engine is confident; otherwise the clerk picks
    from ``candidates``. ``note`` explains an unusual outcome in English (a mistyped
    code, a code prefix, an alias hit) and ``note_key`` names its Chinese text.
    """

    query: str
    normalized: str
    answer: Candidate | None
    candidates: list[Candidate]
    confidence: float
    entities: list[Entity] = field(default_factory=list)
    entity_source: str = "rules"  # "rules" or "model"
    note: str = ""
    note_key: str = ""
    note_params: dict[str, str] = field(default_factory=dict)
    elapsed_ms: float = 0.0


class EntityExtractor(Protocol):
    """Finds BANK / LOC / BRANCH spans in a normalized query.

    The rule-based parser and the NER model runtime both implement it, so the lookup
    engine takes its entities from whichever is active.
    """

    name: str  # "rules" or "model"

    def extract(self, text: str) -> list[Entity]: ...

    def extract_batch(self, texts: list[str]) -> list[list[Entity]]: ...
