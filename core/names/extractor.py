"""Find the bank, the places and the branch in a clerk's query by rules.

``BankMatcher`` recognizes every way a query can name a bank: the one-bank names of
``core.text.banks`` with their short and former names, every legal entity of the
directory ("江苏南通农村商业银行") with its colloquial variants ("南通农商行"), and the
generic words ("农商行", "信用社") that only narrow the kind of bank.
``RuleExtractor`` uses it with the gazetteer to label a normalized query.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.names.gazetteer import (
    CITY,
    ETHNIC_GROUPS,
    PROVINCE,
    Gazetteer,
    default_gazetteer,
    district_at,
    place_forms,
)
from core.names.parser import find_bank_end, is_local_bank
from core.names.parts import UNIT_TYPES
from core.paths import PACKAGE_DATA
from core.results import Entity
from core.text.banks import (
    BANKS,
    GENERIC_BANK_WORDS,
    categories_of_kinds,
    single_bank_aliases,
)
from core.text.normalize import normalize_text, strip_legal_suffix
from core.text.pinyin import pinyin_key

# Short forms that are also everyday words or street names ("平安路", "民生大街"):
# they name a bank only when no street word follows.
_STREET_AFTER = re.compile(r"[路街道巷桥里村]|大街|大道|广场|小区|花园")
_CONNECTORS = "的之"
# A legal suffix as it reads after normalization ("（中国）有限公司" -> "中国有限公司").
_LEGAL_AFTER_BANK = re.compile(r"(?:中国)?(?:股份有限责任公司|股份有限公司|有限责任公司|有限公司)")
_AUTONOMOUS_PREFIX = re.compile(rf"^(.{{2,}}?)(?:(?:{ETHNIC_GROUPS})族)+自治(州|县|旗)")


@dataclass(frozen=True)
class BankRef:
    """The banks a mention in a query can mean.

    ``categories`` are the 3-digit bank categories it allows. ``entities`` are the
    normalized legal entities ("江苏南通农村商业银行") it names; empty means any
    entity of those categories.
    """

    categories: frozenset[str]
    entities: frozenset[str] = frozenset()

    def merge(self, other: BankRef) -> BankRef:
        return BankRef(self.categories | other.categories, self.entities | other.entities)


def entity_of(normalized_name: str) -> str:
    """Return the bank part of a normalized official name without legal suffix."""
    key = strip_legal_suffix(normalized_name)
    return key[: find_bank_end(key)]


def entity_variants(entity: str, gazetteer: Gazetteer) -> set[str]:
    """Return the ways a clerk may write a legal entity's name."""
    variants = {entity}
    for long_word, short_word in (
        ("农村商业银行", "农商银行"),
        ("农村商业银行", "农商行"),
        ("农村合作银行", "农合行"),
        ("农村信用合作联社", "信用联社"),
        ("农村信用合作联社", "农信社"),
        ("农村信用合作联社", "联社"),
        ("农村信用合作联社", "信用社"),
        ("农村信用联社", "联社"),
        ("农村信用联社", "农信社"),
        ("农村信用社", "信用社"),
        ("农村信用社", "农信社"),
        ("商业银行", "商行"),
    ):
        if entity.endswith(long_word):
            variants.add(entity[: -len(long_word)] + short_word)
    # An autonomous county by its short name ("镇宁布依族苗族自治县联社" -> "镇宁联社", "镇宁县联社").
    for variant in list(variants):
        autonomous = _AUTONOMOUS_PREFIX.match(variant)
        if autonomous:
            tail = variant[autonomous.end() :]
            variants.add(autonomous.group(1) + tail)
            variants.add(autonomous.group(1) + autonomous.group(2) + tail)
    # Without the leading province or city ("江苏南通农商行" -> "南通农商行",
    # "广州白云民泰村镇银行" -> "白云民泰村镇银行"), twice for "江苏南通如皋...".
    for _ in range(2):
        for variant in list(variants):
            form = gazetteer.match_at(variant, 0)
            if form and gazetteer.level(form) in (PROVINCE, CITY) and len(variant) - len(form) >= 4:
                variants.add(variant[len(form) :])
    # Without the 市/县 of the place ("哈密市商业银行" -> "哈密商业银行").
    for variant in list(variants):
        for suffix in ("市", "县"):
            index = variant.find(suffix)
            if 2 <= index <= 4 and len(variant) - index > 3:
                variants.add(variant[:index] + variant[index + 1 :])
    return {variant for variant in variants if len(variant) >= 3}


class BankMatcher:
    """Longest-match dictionary from written bank names to ``BankRef``."""

    def __init__(self, forms: dict[str, BankRef]) -> None:
        self.forms = forms
        self.max_form_length = max((len(form) for form in forms), default=0)
        self.sounds: dict[tuple[str, ...], BankRef] = {}
        for form, ref in forms.items():
            if len(form) >= 2 and not form.isascii():
                sound = pinyin_key(form)
                self.sounds[sound] = self.sounds[sound].merge(ref) if sound in self.sounds else ref

    @classmethod
    def build(cls, entities: Iterable[tuple[str, str]], gazetteer: Gazetteer | None = None) -> BankMatcher:
        """Build from ``(category, normalized entity)`` pairs of the directory."""
        places = gazetteer or default_gazetteer()
        forms: dict[str, BankRef] = {}

        def add(form: str, ref: BankRef) -> None:
            form = normalize_text(form)
            forms[form] = forms[form].merge(ref) if form in forms else ref

        for alias, category in single_bank_aliases().items():
            add(alias, BankRef(frozenset({category})))
        for word, kinds in GENERIC_BANK_WORDS.items():
            categories = set(categories_of_kinds(kinds))
            categories |= {bank.category for bank in BANKS if bank.name and bank.kind in kinds}
            add(word, BankRef(frozenset(categories)))
        for category, entity in set(entities):
            if not entity:
                continue
            ref = BankRef(frozenset({category}), frozenset({entity}))
            for variant in entity_variants(entity, places):
                # A one-bank name ("中国工商银行") keeps its category-wide meaning.
                if variant in forms and not forms[variant].entities:
                    continue
                add(variant, ref)
        return cls(forms)

    def find(self, text: str) -> tuple[int, int, BankRef] | None:
        """Return the longest bank mention in ``text`` as ``(start, end, ref)``, or None."""
        return self._longest_mention(text, lambda start, end: self.forms.get(text[start:end]))

    def find_by_sound(self, text: str) -> tuple[int, int, BankRef] | None:
        """Return the longest bank mention that sounds like a bank name ("建荥" for "建行").

        Two-character names match only at the start of the text, because inside a
        query they collide with ordinary words ("中心" sounds like "中信").
        """
        sounds = pinyin_key(text)
        return self._longest_mention(
            text, lambda start, end: self.sounds.get(sounds[start:end]), two_chars_at_start_only=True
        )

    def _longest_mention(
        self,
        text: str,
        lookup: Callable[[int, int], BankRef | None],
        two_chars_at_start_only: bool = False,
    ) -> tuple[int, int, BankRef] | None:
        """Return the longest span ``text[start:end]`` that ``lookup`` maps to a bank, or None.

        At each start the longest matching span wins. A span that is also an everyday
        word is skipped when a street suffix follows it ("平安" in "平安大街").
        """
        best: tuple[int, int, BankRef] | None = None
        for start in range(len(text)):
            longest = min(self.max_form_length, len(text) - start)
            for length in range(longest, 1, -1):
                if two_chars_at_start_only and length == 2 and start > 0:
                    break
                end = start + length
                ref = lookup(start, end)
                if ref is None:
                    continue
                if _may_be_street(text[start:end], ref) and _STREET_AFTER.match(text, end):
                    continue
                if best is None or length > best[1] - best[0]:
                    best = (start, end, ref)
                break
        return best


def _may_be_street(form: str, ref: BankRef) -> bool:
    """Whether a bank form is also an everyday word ("平安", "民生"), unlike "工行" or "华夏银行"."""
    return not ref.entities and "银行" not in form and not form.endswith("行")


def find_places(
    text: str,
    gazetteer: Gazetteer,
    provinces: set[str] | frozenset[str] = frozenset(),
    cities_too: bool = False,
) -> list[tuple[int, int, str]]:
    """Return the place names in ``text`` as ``(start, end, form)``, left to right.

    A place is read only at the start of the text or right after another place,
    because a place inside a branch's own name ("人民路", "长安") is not a location.
    ``provinces`` are those of the places in the query's bank mention ("常德农商行"):
    a county of another province ("永安") is then the branch's name, and with
    ``cities_too`` a city as well (see ``Gazetteer.fits``). A county must also lie
    in a province of the place before it ("梧州新兴..." is not 新兴县).
    """
    found: list[tuple[int, int, str]] = []
    context = set(provinces)
    position = 0
    while position < len(text):
        form = gazetteer.match_at(text, position)
        if form is None and found:
            # A district the gazetteer lacks, right after a known place ("北京市海淀区").
            form = district_at(text, position)
        if form is None or not gazetteer.is_location_at(text, position, form):
            break
        if not gazetteer.fits(form, context, cities_too and not found):
            break
        # Unlike in official names, a place that ends the query ("昆山") stays a place,
        # because a clerk often types just the town.
        found.append((position, position + len(form), form))
        position += len(form)
        context = {place.province for place in gazetteer.places(form) if place.province} or context
    return found


class RuleExtractor:
    """Label BANK, LOC and BRANCH spans in a normalized query by dictionary rules."""

    name = "rules"

    def __init__(self, banks: BankMatcher | None = None, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.banks = banks or default_bank_matcher()

    def extract(self, text: str) -> list[Entity]:
        entities: list[Entity] = []
        bank = self.banks.find(text) or self.banks.find_by_sound(text)
        segments: list[tuple[int, int]] = []
        provinces: set[str] = set()
        local = False
        if bank:
            provinces = self.gazetteer.provinces_at_start(text[bank[0] : bank[1]])
            local = is_local_bank(text[bank[0] : bank[1]])
            # BANK covers an adjacent legal suffix ("中国工商银行股份有限公司").
            legal = _LEGAL_AFTER_BANK.match(text, bank[1])
            end = legal.end() if legal else bank[1]
            entities.append(Entity("BANK", bank[0], end, text[bank[0] : end]))
            segments = [(0, bank[0]), (end, len(text))]
        else:
            segments = [(0, len(text))]
        for start, end in segments:
            while start < end and text[start] in _CONNECTORS:
                start += 1
            while end > start and text[end - 1] in _CONNECTORS:
                end -= 1
            if start >= end:
                continue
            segment = text[start:end]
            position = 0
            places = find_places(segment, self.gazetteer, provinces, local)
            last = places[-1] if places else None
            if last and segment[last[1] :] in UNIT_TYPES:
                # "江油支行" names the 江油 branch, as the parser labels official names:
                # a bare unit type is no branch name. Lookup still reads 江油 as a place.
                places.pop()
            for place_start, place_end, form in places:
                entities.append(Entity("LOC", start + place_start, start + place_end, form))
                position = place_end
            if position < len(segment):
                entities.append(Entity("BRANCH", start + position, end, segment[position:]))
        entities.sort(key=lambda entity: entity.start)
        return entities

    def extract_batch(self, texts: list[str]) -> list[list[Entity]]:
        return [self.extract(text) for text in texts]


@functools.cache
def default_bank_matcher() -> BankMatcher:
    """Build the bank matcher of the shipped demo directory."""
    with open(PACKAGE_DATA / "demo_branches.csv", encoding="utf-8", newline="") as handle:
        pairs = [
            (row["cnaps_code"][:3], entity_of(normalize_text(row["name"]))) for row in csv.DictReader(handle)
        ]
    return BankMatcher.build(pairs)


__all__ = ["BankMatcher", "BankRef", "RuleExtractor", "entity_of", "find_places", "place_forms"]
