"""Everything the generators need to know about one branch: its parts and the ways to write them.

``BranchProfile`` gathers, for one directory row, the parsed official name and the
alternative wordings of each part: the bank's short, regional and former names, the
places with and without suffix, the branch with and without its unit type. The rule
generator samples from it; the LLM aligner accepts any of its forms.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from core.augment.align import BranchForms
from core.augment.prompts import PromptFields
from core.names.gazetteer import Gazetteer, place_forms
from core.names.parser import parse_official_name
from core.names.parts import NameParts
from core.text.banks import (
    BANKS,
    ENTITY_TYPE_WORDS,
    ENTITY_WORD_VARIANTS,
    GENERIC_BANK_WORDS,
    POSTAL,
    RURAL_COMMERCIAL,
    RURAL_COOPERATIVE,
    Bank,
    banks_by_category,
)

# Regional words for a bank whose official name is "<place><entity type word>", by kind.
# Rural commercial banks were rural credit cooperatives until the 2010s, and many
# people still call them 信用社.
_REGIONAL_ENTITY_WORDS = {
    RURAL_COMMERCIAL: ("农商行", "农商银行", "信用社", "农信社"),
    RURAL_COOPERATIVE: ("信用社", "农信社", "联社", "农商行"),
}
# Words people use for the postal savings bank in speech.
_POSTAL_REGIONAL = ("邮政", "邮局", "邮政储蓄")
_ENTITY_WORDS_LONGEST_FIRST = tuple(sorted(ENTITY_TYPE_WORDS, key=len, reverse=True))


@dataclass(frozen=True)
class BranchProfile:
    """One branch with the alternative wordings of each part of its official name."""

    cnaps_code: str
    parts: NameParts
    bank_full: str  # as written, without legal suffix: "中国工商银行"
    bank_short: tuple[str, ...]  # "工行", "工商银行"; "南通农村商业银行" for entity banks
    bank_regional: tuple[str, ...]  # "南通信用社", "邮政"
    bank_former: tuple[str, ...]  # "深发展" for a 平安银行 branch
    places: tuple[tuple[str, ...], ...]  # per location of the name: written form first, then short forms
    city: tuple[str, ...]  # forms of the city of the code, when the name does not already contain it
    province: tuple[str, ...]
    branch_full: str  # "新华支行"; the unit alone for a branch without own name ("营业部")
    branch_bare: str  # "新华"; "" when the name has none
    # Every written and short form of the places above, as the gazetteer lists them
    # ("江油" is also "江油市"); the aligner accepts these in LLM output.
    place_aliases: tuple[str, ...] = ()
    # Generic words that can mean this bank ("农商行" for any rural commercial bank);
    # the aligner accepts them, the rule generator does not write them alone.
    bank_generic: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.parts.name

    @property
    def is_head_office(self) -> bool:
        return not self.branch_full

    def prompt_fields(self) -> PromptFields:
        """Return what the LLM prompt shows for this branch: the usual short name, the place, the branch."""
        chinese_short = [name for name in self.bank_short if not name.isascii()]
        # The shortest Chinese short name is the everyday one ("工行" over "工商银行").
        bank_short = min(chinese_short, key=len) if chinese_short else self.bank_full
        if self.places:
            place = "".join(forms[-1] for forms in self.places)
        else:
            place = self.city[-1] if self.city else ""
        return PromptFields(name=self.name, bank_short=bank_short, place=place, branch=self.branch_full)

    def forms(self) -> BranchForms:
        """Return all strings that count as a mention of this branch, for the LLM aligner."""
        bank = {self.bank_full, *self.bank_short, *self.bank_regional, *self.bank_former, *self.bank_generic}
        if self.parts.legal_suffix:
            bank.add(self.bank_full + self.parts.legal_suffix)
        places = {form for forms in (*self.places, self.city, self.province) for form in forms}
        places.update(self.place_aliases)
        branch = {self.branch_full}
        if len(self.branch_bare) >= 2:
            branch.add(self.branch_bare)
        return BranchForms(
            name=self.name,
            bank=tuple(sorted(form for form in bank if form)),
            places=tuple(sorted(places)),
            branch=tuple(sorted(form for form in branch if form)),
        )


class ProfileBuilder:
    """Builds profiles from directory rows with one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer

    def build(
        self, cnaps_code: str, name: str, city_name: str = "", province_name: str = ""
    ) -> BranchProfile:
        parts = parse_official_name(name, self._gazetteer, province_name)
        bank = banks_by_category().get(cnaps_code[:3])
        bank_short, bank_regional, bank_former = _bank_wordings(parts.bank, bank, self._gazetteer)
        generic: tuple[str, ...] = ()
        if bank is not None and not bank.name:
            generic = tuple(word for word, kinds in GENERIC_BANK_WORDS.items() if bank.kind in kinds)

        places = tuple(tuple(_forms_of_place(location)) for location in parts.locations)
        written = {form for forms in places for form in forms} | {parts.bank}
        city = _forms_of_place(city_name) if city_name else ()
        if any(form in text for form in city for text in written):
            city = ()
        province = _forms_of_place(province_name) if province_name else ()
        if any(form in text for form in province for text in written):
            province = ()

        aliases = {
            alias
            for location in (*parts.locations, *city, *province)
            for place in self._gazetteer.places(location)
            for alias in place_forms(place.name)
        }
        return BranchProfile(
            cnaps_code=cnaps_code,
            parts=parts,
            bank_full=parts.bank,
            bank_short=bank_short,
            bank_regional=bank_regional,
            bank_former=bank_former,
            places=places,
            city=city,
            province=province,
            branch_full=parts.branch + parts.unit,
            branch_bare=parts.branch,
            place_aliases=tuple(sorted(aliases)),
            bank_generic=generic,
        )


@functools.cache
def _forms_of_place(place: str) -> tuple[str, ...]:
    """Return the written form of a place and its forms without suffix ("江油市", "江油").

    ``place_forms`` also adds "市" to names the city table writes without suffix, but
    that guesses wrong for counties ("剑阁" is 剑阁县), so such forms are left out.
    """
    return tuple(
        form for form in dict.fromkeys(place_forms(place)) if len(form) < len(place) or form == place
    )


def _bank_wordings(
    bank_text: str, bank: Bank | None, gazetteer: Gazetteer
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return the short, regional and former names of the bank written as ``bank_text``."""
    if not bank_text:
        return (), (), ()
    single = _single_bank_named(bank_text, bank)
    if single is not None:
        regional = _POSTAL_REGIONAL if single.kind == POSTAL else ()
        short = tuple(name for name in single.short_names if name != bank_text and name not in regional)
        former = tuple(name for name in single.former_names if name != bank_text)
        return short, regional, former
    return _entity_bank_wordings(bank_text, bank, gazetteer)


def _single_bank_named(bank_text: str, bank: Bank | None) -> Bank | None:
    """Find the one-bank category written as ``bank_text``: the code's own, or another one named so."""
    if bank is not None and bank.name and bank_text in (bank.name, *bank.former_names):
        return bank
    for candidate in BANKS:
        if candidate.name and bank_text in (candidate.name, *candidate.former_names):
            return candidate
    return None


def _entity_bank_wordings(
    bank_text: str, bank: Bank | None, gazetteer: Gazetteer
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Short and regional names of a bank named "<place><entity type word>" ("江苏南通农村商业银行")."""
    entity_word = next((word for word in _ENTITY_WORDS_LONGEST_FIRST if bank_text.endswith(word)), "")
    prefix = bank_text[: len(bank_text) - len(entity_word)]
    if not entity_word or len(prefix) < 2:
        return (), (), ()

    prefixes = [prefix, *_shorter_prefixes(prefix, gazetteer)]
    words = [entity_word, *(short for short, full in ENTITY_WORD_VARIANTS.items() if full == entity_word)]
    short = {head + word for head in prefixes for word in words} - {bank_text}

    kind = bank.kind if bank is not None else ""
    if entity_word in ("农村信用合作联社", "农村信用联社", "信用合作联社", "农村信用社", "联社", "信用社"):
        kind = RURAL_COOPERATIVE
    elif entity_word in ("农村商业银行", "农商银行", "农村合作银行"):
        kind = RURAL_COMMERCIAL
    regional = {head + word for head in prefixes for word in _REGIONAL_ENTITY_WORDS.get(kind, ())}
    regional -= short | {bank_text}
    return tuple(sorted(short)), tuple(sorted(regional)), ()


def _shorter_prefixes(prefix: str, gazetteer: Gazetteer) -> list[str]:
    """Shorter ways to write a bank's place prefix: without the province, without suffixes.

    "江苏南通" gives "南通"; "庆城县" gives "庆城"; "阜阳颍东" keeps only itself
    because "颍东" alone would be a district, not the bank's usual name.
    """
    shorter: list[str] = []
    first = gazetteer.match_at(prefix, 0)
    if first is not None and gazetteer.level(first) == "province" and len(prefix) - len(first) >= 2:
        shorter.append(prefix[len(first) :])
    for candidate in (prefix, *shorter):
        # Only a whole place loses its suffix: "甘肃宁县" must not become "甘肃宁".
        if candidate in gazetteer.forms:
            shorter.extend(form for form in _forms_of_place(candidate)[1:] if len(form) >= 2)
    return [form for form in dict.fromkeys(shorter) if form != prefix]
