"""The lookup engine: from a clerk's text to an official branch and its 联行号.

``LookupEngine.lookup`` tries, in order: a 12-digit code or a code prefix, an
exact alias or official name, pinyin initials ("yzcx"), and then entity-aware
retrieval. Retrieval narrows the rows to the bank the query names, scores them
by shared characters, reranks the best ``RERANK_DEPTH`` with ``core.lookup.scoring``
and answers only when the confidence reaches the threshold. Below it the result
has no answer and the clerk picks from the candidates.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Iterable

import numpy as np

from core.errors import InvalidQueryError
from core.lookup import codes as code_queries
from core.lookup.bank_queries import lookup_bank_only, lookup_initials
from core.lookup.index import BranchIndex
from core.lookup.load import load_index
from core.lookup.scoring import confidence, score_row, shape_query, split_unit
from core.names.extractor import BankRef, RuleExtractor, find_places
from core.names.parser import is_local_bank
from core.results import Candidate, Entity, EntityExtractor, LookupResult
from core.text.banks import banks_by_category
from core.text.normalize import Normalized, normalize, normalize_text, strip_asking, strip_legal_suffix

logger = logging.getLogger(__name__)

# Derived with ``python -m core.lookup.calibrate --count 6000 --seed 2``: 6,000
# generated queries over the demo directory in eight writing habits, a quarter of
# them about branches held out of the index. At 0.82, 99.8% of answers were right
# (every habit at least 99.6%, except "city left out" at 99.3%, where the wrong
# answers were branches listed twice under two codes) and 67% of queries were
# answered, out of the 75% that could be. One wrong character costs 0.2, so a
# single substitution in a branch name (0.80) stays below it. On the development
# queries (362, 20 about missing branches) 0.88% of answers were wrong.
CONFIDENCE_THRESHOLD = 0.82

RERANK_DEPTH = 30
# Candidates scoring below this share nothing with the query but a character or
# two ("相似度 0%"), so they are not listed. On the development queries the expected
# branch, when it was among the first five, never scored below 0.5.
MIN_CANDIDATE_SCORE = 0.25
# Rows searched when checking that no other branch has a query's words without its
# city. Rows with all of the query's rare characters come first, so a name shared
# by more rows than this is already shared among these.
CITY_CHECK_DEPTH = 200
# Lookup time grows by about 0.1 s per 1,000 query characters. A longer text is a
# pasted document, not a branch name, and would block the caller for seconds.
MAX_QUERY_CHARS = 1000
_CONNECTORS = "的之"
_LATIN = re.compile(r"^[a-z]{3,}$")
_EMBEDDED_CODE = re.compile(r"(?<!\d)(\d{12})(?!\d)")


class LookupEngine:
    """Looks up queries in one directory's in-memory index.

    Build it once and query it many times. A lookup reads only memory, except that
    a mistyped code's suggestions query the directory's connection, which one
    thread at a time may use.
    """

    def __init__(
        self,
        directory: object | None = None,
        *,
        extractor: EntityExtractor | None = None,
        threshold: float | None = None,
        index: BranchIndex | None = None,
        use_cache: bool = True,
    ) -> None:
        """Load the directory's branches and aliases into memory.

        ``directory`` is a ``core.store.Directory``; tests and calibration may pass a
        prebuilt ``index`` instead. ``extractor`` defaults to the rule-based one.
        With ``use_cache`` the built index is kept in the user data folder
        (``core.lookup.cache``) and reused while the directory is unchanged.
        """
        self.directory = directory
        self.threshold = CONFIDENCE_THRESHOLD if threshold is None else threshold
        if index is None:
            if directory is None:
                raise ValueError("LookupEngine needs a directory or an index")
            index = load_index(directory, use_cache)
        self.index = index
        self.rules = RuleExtractor(index.banks, index.gazetteer)
        self.extractor: EntityExtractor = extractor or self.rules
        self.aliases: dict[str, str] = {}
        self._initials: dict[str, set[str]] | None = None
        self.reload_aliases()

    def reload_aliases(self) -> None:
        """Read the ``aliases`` table again (after the clerk saved a correction)."""
        self.aliases = {}
        if self.directory is None:
            return
        db = self.directory.db  # type: ignore[attr-defined]
        if "aliases" not in db.table_names():
            return
        for alias_text, code in db.execute("SELECT alias_text, cnaps_code FROM aliases ORDER BY id"):
            if code in self.index.row_of_code:
                self.aliases[normalize_text(alias_text)] = code

    # ---- public API -------------------------------------------------------

    def lookup(self, text: str, top: int = 5) -> LookupResult:
        """Look up one query; raises ``InvalidQueryError`` for an empty or punctuation-only one."""
        started = time.perf_counter()
        if len(text) > MAX_QUERY_CHARS:
            raise InvalidQueryError(
                f"query of {len(text):,} characters is longer than {MAX_QUERY_CHARS:,}; "
                "type a branch name or a code",
                key="lookup.invalid_too_long",
                length=len(text),
                limit=MAX_QUERY_CHARS,
            )
        whole = normalize(text)
        normalized = strip_asking(whole)
        if not normalized.text:
            raise InvalidQueryError(
                f"query {text!r} has no letters or digits; type a branch name or a code",
                key="lookup.invalid_empty",
                query=text,
            )
        result = self._lookup(text, normalized, top, whole.text)
        return dataclasses.replace(result, elapsed_ms=(time.perf_counter() - started) * 1000)

    def lookup_batch(self, texts: Iterable[str], top: int = 5) -> list[LookupResult]:
        """Look up many queries; an invalid one gives a result with no answer and no candidates."""
        results: list[LookupResult] = []
        for text in texts:
            try:
                results.append(self.lookup(text, top))
            except InvalidQueryError as error:
                results.append(
                    LookupResult(text, "", None, [], 0.0, note=str(error), note_key="lookup.note_invalid")
                )
        return results

    # ---- steps ------------------------------------------------------------

    def _lookup(self, text: str, normalized: Normalized, top: int, unstripped: str) -> LookupResult:
        """Run the lookup steps in order; ``unstripped`` still has the words of asking."""
        query = normalized.text
        if query.isdigit():
            return code_queries.lookup_code(self, text, query, top)
        embedded = _EMBEDDED_CODE.search(query)
        if embedded:
            # "102100000021 工行": the code decides; the words only label it.
            return code_queries.lookup_code(self, text, embedded.group(1), top)

        alias_code = (
            self.aliases.get(unstripped)
            or self.aliases.get(query)
            or self.aliases.get(strip_legal_suffix(query))
        )
        if alias_code:
            candidate = self.candidate(self.index.row_of_code[alias_code], 1.0)
            return LookupResult(
                text,
                query,
                candidate,
                [candidate],
                1.0,
                note=f"alias of {alias_code}",
                note_key="lookup.note_alias",
            )

        exact = self.index.rows_of_key(strip_legal_suffix(query))
        if len(exact) > 1:
            # Names that differ only in the legal suffix still tell their rows apart.
            exact = [row for row in exact if normalize_text(self.index.names[row]) == query] or exact
        if len(exact) == 1:
            candidate = self.candidate(exact[0], 1.0)
            entities = self._entities(normalized)
            return LookupResult(text, query, candidate, [candidate], 1.0, entities, self.extractor.name)
        if exact:
            # The directory lists this name under several codes: only the clerk can choose.
            candidates = [self.candidate(row, 1.0) for row in exact[:top]]
            return LookupResult(
                text,
                query,
                None,
                candidates,
                0.5,
                self._entities(normalized),
                self.extractor.name,
                note=f"{len(exact)} codes share this name",
                note_key="lookup.note_duplicate_name",
                note_params={"count": str(len(exact))},
            )

        if _LATIN.match(query) and query not in self.index.banks.forms:
            initials_result = lookup_initials(self, text, query, top)
            if initials_result is not None:
                return initials_result

        return self._search(text, normalized, top)

    def _entities(self, normalized: Normalized) -> list[Entity]:
        return self._to_original(normalized, self.extractor.extract(normalized.text))

    @staticmethod
    def _to_original(normalized: Normalized, found: list[Entity]) -> list[Entity]:
        """Map entity spans on the normalized query to spans on the text the clerk typed."""
        mapped: list[Entity] = []
        for entity in found:
            start, end = normalized.span_to_original(entity.start, entity.end)
            mapped.append(Entity(entity.label, start, end, entity.text))
        return mapped

    def _split(self, query: str, entities: list[Entity]) -> tuple[BankRef | None, str, tuple[str, ...]]:
        """Return the bank the query names, the query without it, and its places."""
        bank_entities = [entity for entity in entities if entity.label == "BANK"]
        ref: BankRef | None = None
        if self.extractor is self.rules or not bank_entities:
            found = self.index.banks.find(query) or self.index.banks.find_by_sound(query)
            if found is not None:
                start, end, ref = found
        else:
            # The bank name found inside the model's BANK span sets the bounds, since
            # the span may take a neighbour ("邮政储蓄银" of "邮政储蓄银川市"). A span
            # that names no known bank is ignored and the rules look for the bank
            # instead: the model may have tagged a street ("人民路") as a bank.
            span = bank_entities[0]
            inner = self.index.banks.find(span.text) or self.index.banks.find_by_sound(span.text)
            whole = self.index.banks.find(query) or self.index.banks.find_by_sound(query)
            if inner is not None:
                found = (span.start + inner[0], span.start + inner[1], inner[2])
                # The span may also stop short of a longer bank name that contains it
                # ("开发银行" of "国家开发银行"); the longer name then sets the bounds.
                if whole is not None and whole[0] <= found[0] and found[1] <= whole[1]:
                    found = whole
            else:
                found = whole
            if found is not None:
                start, end, ref = found
        rest = query
        bank_provinces: set[str] = set()
        local = False
        if found is not None:
            rest = query[:start].rstrip(_CONNECTORS) + query[end:].lstrip(_CONNECTORS)
            bank_provinces = self.index.gazetteer.provinces_at_start(query[start:end])
            local = is_local_bank(query[start:end])
        rest = strip_legal_suffix(rest)
        found_places = find_places(rest, self.index.gazetteer, bank_provinces, local)
        places = tuple(form for _, _, form in found_places)
        return ref, rest, places

    def pool(self, ref: BankRef | None) -> np.ndarray | None:
        """Return the rows of the banks ``ref`` names; None means every row."""
        if ref is None:
            return None
        if ref.entities:
            arrays = [
                self.index.by_entity[entity] for entity in ref.entities if entity in self.index.by_entity
            ]
        else:
            arrays = [
                self.index.by_category[category]
                for category in ref.categories
                if category in self.index.by_category
            ]
        if not arrays:
            return np.zeros(0, dtype=np.int32)
        return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)

    def _search(self, text: str, normalized: Normalized, top: int) -> LookupResult:
        query = normalized.text
        found = self.extractor.extract(query)
        entities = self._to_original(normalized, found)
        ref, rest, places = self._split(query, found)
        pool = self.pool(ref)

        if ref is not None and not rest:
            return lookup_bank_only(self, text, query, ref, pool, top, entities)

        note, note_key = "", ""
        if pool is not None and len(pool) == 0:
            # The named bank has no branch in this directory: search everything, never answer.
            note, note_key = "the bank named in the query is not in the directory", "lookup.note_bank_unknown"
            pool = None
        generic = (
            ref is not None
            and not ref.entities
            and all(
                not banks_by_category().get(category) or not banks_by_category()[category].name
                for category in ref.categories
            )
        )
        shape = shape_query(rest, places, query if ref is None else "", generic, self.index.gazetteer)
        rows = self.index.retrieve(rest, pool, RERANK_DEPTH)
        # Ties keep the retrieval order, so rows sharing more rare characters come first.
        scored = sorted(
            ((score_row(self.index, row, shape), row) for row in rows),
            key=lambda pair: -pair[0],
        )
        scored = [(score, row) for score, row in scored if score >= MIN_CANDIDATE_SCORE]
        candidates = [self.candidate(row, round(score, 4)) for score, row in scored[:top]]
        top_score = scored[0][0] if scored else 0.0
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        conf = confidence(top_score, runner_up) if scored else 0.0
        if not scored:
            note, note_key = "no branch is similar to the query", "lookup.note_nothing_similar"
        if note_key:
            conf = min(conf, self.threshold * 0.99)
        answer = candidates[0] if candidates and conf >= self.threshold else None
        if (
            answer is None
            and not note_key
            and ref is not None
            and scored
            and self._only_branch_without_city(rest, pool, scored[0][1])
        ):
            conf = max(conf, self.threshold)
            answer = candidates[0]
            note, note_key = "the only branch with these words", "lookup.note_city_left_out"
        return LookupResult(
            text, query, answer, candidates, round(conf, 4), entities, self.extractor.name, note, note_key
        )

    def _only_branch_without_city(self, rest: str, pool: np.ndarray | None, top_row: int) -> bool:
        """Whether ``rest`` is the name of ``top_row`` without its city, and of no other branch.

        "工行知春路支行" names no city. It is answered only when, of the bank's branches,
        only 北京知春路支行 reads so without its city, and every branch of any bank that
        does lies in that same city: a name found in several cities ("鼓楼") may mean a
        branch missing from the directory. On a quarter of the demo branches held out
        (see ``docs/lookup.md``), 99.6% of these answers were right.
        """
        if len(split_unit(rest)[0]) < 2 or rest not in self._names_without_city(top_row):
            return False
        same_bank = self.index.retrieve(rest, pool, CITY_CHECK_DEPTH)
        if [row for row in same_bank if rest in self._names_without_city(row)] != [top_row]:
            return False
        city = self.index.city_codes[top_row]
        any_bank = self.index.retrieve(rest, None, CITY_CHECK_DEPTH)
        return all(
            self.index.city_codes[row] == city for row in any_bank if rest in self._names_without_city(row)
        )

    def _names_without_city(self, row: int) -> set[str]:
        """Return the ways the name of ``row`` reads after its bank without its city.

        "北京知春路支行" gives "知春路支行" and "知春路": the first place dropped, or
        every place, each with and without the unit type.
        """
        index = self.index
        rest, places, unit = index.rest(row), index.places[row], index.units[row]
        names = set()
        if places and rest.startswith(places[0]):
            names.add(rest[len(places[0]) :])
        if index.branch_names[row]:
            names.add(index.branch_names[row] + unit)
        for name in list(names):
            if unit and name.endswith(unit):
                names.add(name[: -len(unit)])
        # "分行营运部" of "百色分行营运部" names an office of every city branch, not one branch.
        return {name for name in names if len(split_unit(name)[0]) >= 2 and not name.startswith("分行")}

    def candidate(self, row: int, score: float) -> Candidate:
        index = self.index
        return Candidate(
            cnaps_code=index.codes[row],
            name=index.names[row],
            score=score,
            bank_name=index.entities[row],
            province=index.provinces[row],
            city=index.city_names[row],
        )
