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
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from core.names.extractor import BankMatcher, entity_of
from core.names.gazetteer import Gazetteer
from core.names.parser import parse_official_name
from core.text.normalize import normalize_text, strip_legal_suffix
from core.text.pinyin import char_pinyin, initials

logger = logging.getLogger(__name__)

# Weight of a sound-alike character relative to an exact one.
PINYIN_WEIGHT = 0.5
# Characters in more than this share of rows ("行", "支") add almost nothing to a
# score but cost the most to add up, so retrieval skips them.
COMMON_SHARE = 0.2


@dataclass(frozen=True)
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
    rests: list[str]  # the key after the entity: "北京新华支行"
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
    row_of_key: dict[str, list[int]]
    row_of_name: dict[str, list[int]]  # normalized official name with its legal suffix
    postings: dict[str, np.ndarray]
    weights: dict[str, float]
    pinyin_postings: dict[str, np.ndarray]
    pinyin_weights: dict[str, float]
    banks: BankMatcher
    gazetteer: Gazetteer
    build_seconds: float = 0.0
    entity_initials: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def build(cls, records: Iterable[BranchRecord], gazetteer: Gazetteer) -> BranchIndex:
        """Build the index; about 1 s per 12,000 rows is the parse and posting work."""
        started = time.perf_counter()
        codes: list[str] = []
        names: list[str] = []
        keys: list[str] = []
        entities: list[str] = []
        rests: list[str] = []
        branch_names: list[str] = []
        places: list[tuple[str, ...]] = []
        units: list[str] = []
        city_codes: list[str] = []
        city_names: list[str] = []
        provinces: list[str] = []
        char_rows: dict[str, list[int]] = {}
        pinyin_rows: dict[str, list[int]] = {}
        for row, record in enumerate(records):
            key = strip_legal_suffix(normalize_text(record.name))
            entity = entity_of(key)
            rest = key[len(entity) :]
            parts = parse_official_name(rest, gazetteer) if rest else None
            codes.append(record.cnaps_code)
            names.append(record.name)
            keys.append(key)
            entities.append(entity)
            rests.append(rest)
            branch_names.append(parts.branch if parts else "")
            places.append(parts.locations if parts else ())
            units.append(parts.unit if parts else "")
            city_codes.append(record.city_code or record.cnaps_code[3:7])
            city_names.append(record.city_name)
            provinces.append(record.province_name)
            for char in set(key):
                char_rows.setdefault(char, []).append(row)
            for syllable in {char_pinyin(char) for char in key}:
                pinyin_rows.setdefault(syllable, []).append(row)

        count = max(len(codes), 1)
        postings = {char: np.asarray(rows, dtype=np.int32) for char, rows in char_rows.items()}
        weights = {char: math.log(1 + count / len(rows)) for char, rows in char_rows.items()}
        pinyin_postings = {syllable: np.asarray(rows, dtype=np.int32) for syllable, rows in pinyin_rows.items()}
        pinyin_weights = {syllable: math.log(1 + count / len(rows)) for syllable, rows in pinyin_rows.items()}

        by_category_lists: dict[str, list[int]] = {}
        by_entity_lists: dict[str, list[int]] = {}
        head_offices: dict[str, list[int]] = {}
        row_of_key: dict[str, list[int]] = {}
        row_of_name: dict[str, list[int]] = {}
        for row, code in enumerate(codes):
            row_of_name.setdefault(normalize_text(names[row]), []).append(row)
            by_category_lists.setdefault(code[:3], []).append(row)
            by_entity_lists.setdefault(entities[row], []).append(row)
            row_of_key.setdefault(keys[row], []).append(row)
            if not rests[row]:
                head_offices.setdefault(entities[row], []).append(row)
        pairs = {(code[:3], entities[row]) for row, code in enumerate(codes)}
        entity_initials: dict[str, list[str]] = {}
        for entity in by_entity_lists:
            if entity:
                entity_initials.setdefault(initials(entity), []).append(entity)

        index = cls(
            codes=codes,
            names=names,
            keys=keys,
            entities=entities,
            rests=rests,
            branch_names=branch_names,
            places=places,
            units=units,
            city_codes=city_codes,
            city_names=city_names,
            provinces=provinces,
            row_of_code={code: row for row, code in enumerate(codes)},
            sorted_codes=sorted(codes),
            by_category={key: np.asarray(rows, dtype=np.int32) for key, rows in by_category_lists.items()},
            by_entity={key: np.asarray(rows, dtype=np.int32) for key, rows in by_entity_lists.items()},
            head_offices=head_offices,
            row_of_key=row_of_key,
            row_of_name=row_of_name,
            postings=postings,
            weights=weights,
            pinyin_postings=pinyin_postings,
            pinyin_weights=pinyin_weights,
            banks=BankMatcher.build(pairs, gazetteer),
            gazetteer=gazetteer,
            entity_initials=entity_initials,
        )
        index.build_seconds = time.perf_counter() - started
        logger.info("built the lookup index of %d branches in %.2f s", len(codes), index.build_seconds)
        return index

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
        """Return up to ``limit`` rows of ``pool`` (all rows when None) that best share ``text``'s characters."""
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
