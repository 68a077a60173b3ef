"""The in-memory search index the lookup engine builds from the ``branches`` table.

For every branch it keeps the normalized name without legal suffix (the key), the
legal entity ("中国工商银行", "江苏南通农村商业银行") and what follows it (the rest),
split further into places, the branch's own name and the unit. Retrieval scores
rows by the inverse document frequency of the query characters they contain,
plus a weaker score for characters that only sound the same (pypinyin), which
catches homophone typos ("瓶泉" for "平泉"). Posting lists are numpy arrays, so one
query touches each posting once in C.
"""

from __future__ import annotations

import bisect
import logging
import math
import sys
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.names.extractor import BankMatcher, entity_of
from core.names.gazetteer import Gazetteer
from core.names.parser import parse_official_name
from core.text.normalize import normalize_text, strip_legal_suffix
from core.text.pinyin import char_pinyin

logger = logging.getLogger(__name__)

# Weight of a sound-alike character relative to an exact one.
PINYIN_WEIGHT = 0.5
# Characters in more than this share of rows ("行", "支") add almost nothing to a
# score but cost the most to add up, so retrieval skips them.
COMMON_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class BranchRecord:
    """One directory row as the index needs it."""

    cnaps_code: str
    name: str
    city_code: str = ""
    city_name: str = ""
    province_name: str = ""


@dataclass
class BranchIndex:
    """Columns of the directory plus the posting lists used for retrieval."""

    codes: list[str]
    names: list[str]
    keys: list[str]
    entities: list[str]
    branch_names: list[str]  # the branch's own name without places and unit: "新华"
    places: list[tuple[str, ...]]  # the places before the branch's own name: ("北京",)
    units: list[str]
    city_codes: list[str]
    city_names: list[str]
    provinces: list[str]
    row_of_code: dict[str, int]
    sorted_codes: list[str]
    by_category: dict[str, np.ndarray]
    by_entity: dict[str, np.ndarray]
    head_offices: dict[str, list[int]]  # entity -> rows whose name is the entity alone
    entities_of_category: dict[str, tuple[str, ...]]
    row_of_key: dict[str, int]  # the first row of each key
    shared_keys: dict[str, list[int]]  # keys of more than one row, with all their rows
    postings: dict[str, np.ndarray]
    weights: dict[str, float]
    pinyin_postings: dict[str, np.ndarray]
    pinyin_weights: dict[str, float]
    banks: BankMatcher
    gazetteer: Gazetteer
    build_seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def build(cls, records: Iterable[BranchRecord], gazetteer: Gazetteer) -> BranchIndex:
        """Build the index from directory rows.

        Repeated values (entities, units, places, city names) are interned and posting
        lists are collected in ``array('i')``, which keeps a 150,000-row index small.
        """
        started = time.perf_counter()
        codes: list[str] = []
        names: list[str] = []
        keys: list[str] = []
        entities: list[str] = []
        branch_names: list[str] = []
        places: list[tuple[str, ...]] = []
        units: list[str] = []
        city_codes: list[str] = []
        city_names: list[str] = []
        provinces: list[str] = []
        char_rows: dict[str, array] = {}
        pinyin_rows: dict[str, array] = {}
        shared_places: dict[tuple[str, ...], tuple[str, ...]] = {}
        for row, record in enumerate(records):
            key = strip_legal_suffix(normalize_text(record.name))
            entity = sys.intern(entity_of(key))
            rest = key[len(entity) :]
            parts = parse_official_name(rest, gazetteer, record.province_name) if rest else None
            codes.append(record.cnaps_code)
            names.append(record.name)
            keys.append(key)
            entities.append(entity)
            branch_names.append(parts.branch if parts else "")
            located = tuple(sys.intern(place) for place in parts.locations) if parts else ()
            places.append(shared_places.setdefault(located, located))
            units.append(sys.intern(parts.unit) if parts else "")
            city_codes.append(sys.intern(record.city_code or record.cnaps_code[3:7]))
            city_names.append(sys.intern(record.city_name))
            provinces.append(sys.intern(record.province_name))
            for char in set(key):
                rows = char_rows.get(char)
                if rows is None:
                    rows = char_rows[char] = array("i")
                rows.append(row)
            for syllable in {char_pinyin(char) for char in key}:
                rows = pinyin_rows.get(syllable)
                if rows is None:
                    rows = pinyin_rows[syllable] = array("i")
                rows.append(row)

        count = max(len(codes), 1)
        postings = {char: np.frombuffer(rows, dtype=np.int32) for char, rows in char_rows.items()}
        weights = {char: math.log(1 + count / len(rows)) for char, rows in char_rows.items()}
        pinyin_postings = {
            syllable: np.frombuffer(rows, dtype=np.int32) for syllable, rows in pinyin_rows.items()
        }
        pinyin_weights = {syllable: math.log(1 + count / len(rows)) for syllable, rows in pinyin_rows.items()}

        by_category_lists: dict[str, array] = {}
        by_entity_lists: dict[str, array] = {}
        head_offices: dict[str, list[int]] = {}
        row_of_key: dict[str, int] = {}
        shared_keys: dict[str, list[int]] = {}
        for row, code in enumerate(codes):
            by_category_lists.setdefault(code[:3], array("i")).append(row)
            by_entity_lists.setdefault(entities[row], array("i")).append(row)
            key = keys[row]
            if key in row_of_key:
                shared_keys.setdefault(key, [row_of_key[key]]).append(row)
            else:
                row_of_key[key] = row
            if len(key) == len(entities[row]):
                head_offices.setdefault(entities[row], []).append(row)
        pairs = {(code[:3], entities[row]) for row, code in enumerate(codes)}
        entities_of_category: dict[str, list[str]] = {}
        for category, entity in sorted(pairs):
            entities_of_category.setdefault(category, []).append(entity)

        index = cls(
            codes=codes,
            names=names,
            keys=keys,
            entities=entities,
            branch_names=branch_names,
            places=places,
            units=units,
            city_codes=city_codes,
            city_names=city_names,
            provinces=provinces,
            row_of_code={code: row for row, code in enumerate(codes)},
            sorted_codes=sorted(codes),
            by_category={key: np.frombuffer(rows, dtype=np.int32) for key, rows in by_category_lists.items()},
            by_entity={key: np.frombuffer(rows, dtype=np.int32) for key, rows in by_entity_lists.items()},
            head_offices=head_offices,
            entities_of_category={key: tuple(value) for key, value in entities_of_category.items()},
            row_of_key=row_of_key,
            shared_keys=shared_keys,
            postings=postings,
            weights=weights,
            pinyin_postings=pinyin_postings,
            pinyin_weights=pinyin_weights,
            banks=BankMatcher.build(pairs, gazetteer),
            gazetteer=gazetteer,
        )
        index.build_seconds = time.perf_counter() - started
        logger.info("built the lookup index of %d branches in %.2f s", len(codes), index.build_seconds)
        return index

    def rest(self, row: int) -> str:
        """Return the key after the entity: "北京新华支行"."""
        return self.keys[row][len(self.entities[row]) :]

    def rows_of_key(self, key: str) -> list[int]:
        """Return the rows whose key (normalized name without legal suffix) is ``key``."""
        shared = self.shared_keys.get(key)
        if shared is not None:
            return shared
        row = self.row_of_key.get(key)
        return [] if row is None else [row]

    def codes_with_prefix(self, prefix: str, limit: int) -> list[str]:
        start = bisect.bisect_left(self.sorted_codes, prefix)
        found: list[str] = []
        for code in self.sorted_codes[start : start + limit]:
            if not code.startswith(prefix):
                break
            found.append(code)
        return found

    def count_with_prefix(self, prefix: str) -> int:
        start = bisect.bisect_left(self.sorted_codes, prefix)
        end = bisect.bisect_left(self.sorted_codes, prefix + ":")  # ":" sorts after "9"
        return end - start

    def retrieve(self, text: str, pool: np.ndarray | None, limit: int) -> list[int]:
        """Return up to ``limit`` rows of ``pool`` that best share ``text``'s characters.

        ``pool`` None means every row.
        """
        scores = np.zeros(len(self.codes), dtype=np.float32)
        common = COMMON_SHARE * len(self.codes)
        for char in set(text):
            rows = self.postings.get(char)
            if rows is not None and len(rows) <= common:
                scores[rows] += self.weights[char]
        for syllable in {char_pinyin(char) for char in text}:
            rows = self.pinyin_postings.get(syllable)
            if rows is not None and len(rows) <= common:
                scores[rows] += PINYIN_WEIGHT * self.pinyin_weights[syllable]
        if pool is None:
            candidates = np.arange(len(self.codes), dtype=np.int32)
            pooled = scores
        else:
            candidates = pool
            pooled = scores[pool]
        if len(candidates) > limit:
            top = np.argpartition(-pooled, limit)[:limit]
        else:
            top = np.arange(len(candidates))
        ordered = top[np.argsort(-pooled[top], kind="stable")]
        return [int(candidates[position]) for position in ordered if pooled[position] > 0]
