"""Queries that name only a bank: by name ("中信银行", "农商行") or by pinyin initials ("yzcx")."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from core.names.extractor import BankRef
from core.results import Entity, LookupResult
from core.text.banks import banks_by_category
from core.text.normalize import normalize_text
from core.text.pinyin import initials

if TYPE_CHECKING:
    from core.lookup.engine import LookupEngine

# Bank-only queries answer with the head office at this confidence when exactly one exists.
HEAD_OFFICE_CONFIDENCE = 0.95
# rapidfuzz ratio (0-100) above which pinyin initials count as a near match.
INITIALS_NEAR_RATIO = 85


def lookup_bank_only(
    engine: LookupEngine,
    text: str,
    query: str,
    ref: BankRef,
    pool: np.ndarray | None,
    top: int,
    entities: list[Entity],
    *,
    allow_answer: bool = True,
) -> LookupResult:
    """Answer a query that names only a bank with its head office, when there is exactly one.

    A generic word ("农商行", "信用社") names a kind of bank, never one bank, so it
    only lists head offices of that kind.
    """
    heads: list[int] = []
    generic = not ref.entities and any(
        not banks_by_category().get(category) or not banks_by_category()[category].name
        for category in ref.categories
    )
    if generic:
        allow_answer = False
        names = {
            entity
            for category in ref.categories
            for entity in engine.index.entities_of_category.get(category, ())
        }
    else:
        names = set(ref.entities) or {
            banks_by_category()[category].name
            for category in ref.categories
            if category in banks_by_category()
        }
    for entity in names:
        heads.extend(engine.index.head_offices.get(normalize_text(entity), []))
    heads = sorted(set(heads))
    if len(heads) == 1 and allow_answer:
        candidate = engine.candidate(heads[0], HEAD_OFFICE_CONFIDENCE)
        conf = HEAD_OFFICE_CONFIDENCE
        answer = candidate if conf >= engine.threshold else None
        return LookupResult(
            text,
            query,
            answer,
            [candidate],
            conf,
            entities,
            engine.extractor.name,
            note="bank only: its head office",
            note_key="lookup.note_head_office",
        )
    if not heads and pool is not None and len(pool) == 0:
        return LookupResult(
            text,
            query,
            None,
            [],
            0.0,
            entities,
            engine.extractor.name,
            note=f"the directory has no branch of the bank {query!r}",
            note_key="lookup.note_bank_absent",
            note_params={"bank": query},
        )
    rows = heads or ([] if pool is None else [int(row) for row in pool[: top * 4]])
    rows.sort(key=lambda row: (len(engine.index.rest(row)), engine.index.codes[row]))
    candidates = [engine.candidate(row, 0.5) for row in rows[:top]]
    return LookupResult(
        text,
        query,
        None,
        candidates,
        0.0,
        entities,
        engine.extractor.name,
        note="the query names only a bank",
        note_key="lookup.note_bank_only",
    )


def lookup_initials(engine: LookupEngine, text: str, query: str, top: int) -> LookupResult | None:
    """Match pinyin initials ("yzcx" for 邮政储蓄) against bank names; None when nothing fits.

    An exact match or a unique prefix may answer with the bank's head office; a
    shared prefix or a near match ("zjgsyyh") only lists candidates.
    """
    table = initials_table(engine)
    entities = set(table.get(query, ()))
    exact = bool(entities)
    if not entities:
        entities = {entity for key, found in table.items() if key.startswith(query) for entity in found}
        exact = len(entities) == 1
    if not entities:
        for key, found in table.items():
            if len(key) >= 4 and fuzz.ratio(query, key) >= INITIALS_NEAR_RATIO:
                entities.update(found)
    if not entities:
        return None
    ref = BankRef(frozenset(), frozenset(entities))
    result = lookup_bank_only(engine, text, query, ref, engine.pool(ref), top, [], allow_answer=exact)
    note = f"pinyin initials of {', '.join(sorted(entities)[:5])}"
    return dataclasses.replace(result, note=note, note_key="lookup.note_initials")


def initials_table(engine: LookupEngine) -> dict[str, set[str]]:
    """Map the pinyin initials of every bank name and entity to the entities, built on first use."""
    if engine._initials is None:
        table: dict[str, set[str]] = {}
        for form, ref in engine.index.banks.forms.items():
            if form.isascii():
                continue
            names = set(ref.entities) or {
                banks_by_category()[category].name
                for category in ref.categories
                if category in banks_by_category() and banks_by_category()[category].name
            }
            names = {name for name in names if name in engine.index.by_entity}
            if names:
                table.setdefault(initials(form), set()).update(names)
        engine._initials = table
    return engine._initials
