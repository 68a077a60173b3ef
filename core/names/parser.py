"""Split an official branch name into bank, legal suffix, places, branch and unit.

An official name starts with the bank ("中国工商银行", "江苏南通农村商业银行",
"庆城县农村信用合作联社") and an optional legal suffix ("股份有限公司"). The places
of the branch follow from the largest down ("北京", "南宁市邕宁"), then the branch's
own name and its unit type ("支行", "分理处", "信用社"). A remark in brackets
("（不对外营业）") may end the name. The spans follow ``core.names.parts``.
"""

from __future__ import annotations

import re

from core.names.gazetteer import CITY, COUNTY, PROVINCE, Gazetteer, default_gazetteer
from core.names.parts import UNIT_TYPES, NameParts
from core.results import Entity
from core.text.banks import BANKS, ENTITY_TYPE_WORDS

# One-bank names that start an official name, longest first so that
# "中国农业发展银行" is not read as "中国农业银行" + "发展...".
_SINGLE_BANK_NAMES = tuple(
    sorted(
        {name for bank in BANKS if bank.name for name in (bank.name, *bank.former_names)},
        key=len,
        reverse=True,
    )
)
_ENTITY_END = re.compile("|".join(ENTITY_TYPE_WORDS))
_LEGAL_SUFFIX = re.compile(r"(?:[（(]中国[)）])?(?:股份有限责任公司|股份有限公司|有限责任公司|有限公司)")
_REMARK = re.compile(r"[（(][^（()）]*[)）]$")
_UNITS_LONGEST_FIRST = tuple(sorted(UNIT_TYPES, key=len, reverse=True))
# Rural banks and credit cooperatives serve only the places in their name, unlike
# city commercial banks ("北京银行南京分行").
_LOCAL_BANK = re.compile(r"农村商业银行|农商银行|农商行|农村合作银行|农合行|联社|信用社|农信社|村镇银行")


def is_local_bank(bank: str) -> bool:
    """Whether ``bank`` names a rural bank or credit cooperative, whose branches lie in its places."""
    return _LOCAL_BANK.search(bank) is not None


# The one-bank names by their first two characters, longest first within each.
_SINGLE_BANK_BY_START: dict[str, list[str]] = {}
for _bank_name in _SINGLE_BANK_NAMES:
    _SINGLE_BANK_BY_START.setdefault(_bank_name[:2], []).append(_bank_name)


def find_bank_end(name: str) -> int:
    """Return the index just past the bank part of an official name (0 when none)."""
    for bank_name in _SINGLE_BANK_BY_START.get(name[:2], ()):
        if name.startswith(bank_name):
            return len(bank_name)
    match = _ENTITY_END.search(name)
    return match.end() if match else 0


def parse_official_name(name: str, gazetteer: Gazetteer | None = None, province: str = "") -> NameParts:
    """Parse an official branch name; every span in the result indexes ``name``.

    ``gazetteer`` defaults to the one built from the shipped city table and demo
    names. A name with no bank word gets an empty bank and is parsed from its start.
    ``province`` is the province of the branch's city code ("湖南省"). It and the
    places in the bank's name ("常德农村商业银行") rule out a county of another
    province ("永安支行" is then a branch named 永安, not 永安市 of Fujian).
    """
    places = gazetteer or default_gazetteer()
    spans: list[Entity] = []

    bank_end = find_bank_end(name)
    bank = name[:bank_end]
    position = bank_end
    legal_suffix = ""
    legal = _LEGAL_SUFFIX.match(name, position)
    if legal:
        legal_suffix = legal.group(0)
        position = legal.end()
    if bank_end:
        spans.append(Entity("BANK", 0, position, name[:position]))

    end = len(name)
    remark = _REMARK.search(name, position)
    if remark:
        end = remark.start()

    context = {province} if province else places.provinces_at_start(bank)
    strict = bool(province) or is_local_bank(bank)
    locations, position = _leading_places(name, position, end, places, spans, context, strict)

    unit = ""
    for candidate in _UNITS_LONGEST_FIRST:
        if name.endswith(candidate, position, end):
            unit = candidate
            break
    branch = name[position : end - len(unit)]
    branch_start = position
    if not branch and unit and spans and spans[-1].label == "LOC" and spans[-1].end == position:
        # A unit type right after a place names the branch after that place
        # ("江油市支行"): the place stays in ``locations`` but is labelled BRANCH.
        branch_start = spans.pop().start
    if branch_start < end:
        spans.append(Entity("BRANCH", branch_start, end, name[branch_start:end]))

    return NameParts(
        name=name,
        bank=bank,
        legal_suffix=legal_suffix,
        locations=tuple(locations),
        branch=branch,
        unit=unit,
        spans=tuple(spans),
    )


def _leading_places(
    name: str,
    position: int,
    end: int,
    places: Gazetteer,
    spans: list[Entity],
    context: set[str],
    check_cities: bool,
) -> tuple[list[str], int]:
    """Consume the places at ``position``: at most one per level, largest level first.

    ``context`` holds the provinces the branch may lie in, empty when unknown, and
    ``check_cities`` is ``Gazetteer.fits``'s ``cities_too``.
    """
    locations: list[str] = []
    last_level = -1
    provinces: set[str] = set()
    while position < end:
        form = places.match_at(name[:end], position)
        if form is None or not places.is_location_at(name[:end], position, form):
            break
        if not places.fits(form, context, check_cities):
            break
        fit = _next_level(places, form, last_level, provinces)
        if fit is None:
            break
        level, provinces = fit
        remaining = name[position + len(form) : end]
        # "通山县支行" keeps 通山县 as a place, but a name that ends with a place
        # ("新韩银行中国") keeps it as the branch's own name, and so does a county
        # written without suffix before a bare unit type ("连山支行" is the 连山 branch).
        if not remaining or (remaining in UNIT_TYPES and places.is_bare_county(form)):
            break
        locations.append(form)
        spans.append(Entity("LOC", position, position + len(form), form))
        position += len(form)
        last_level = level
        if level == 2:
            break
    return locations, position


def _next_level(
    places: Gazetteer, form: str, last_level: int, provinces: set[str]
) -> tuple[int, set[str]] | None:
    """Return the level rank of ``form`` below ``last_level`` and the provinces it may be in.

    A place must lie in a province of the place before it, so "石家庄市中山" does not
    read 中山 (a district of Dalian) as a place. None when no reading fits.
    """
    candidates = [
        place
        for place in places.places(form)
        if _RANKS[place.level] > last_level
        and (not provinces or not place.province or place.province in provinces)
    ]
    if not candidates:
        return None
    rank = min(_RANKS[place.level] for place in candidates)
    return rank, {place.province for place in candidates if _RANKS[place.level] == rank and place.province}


_RANKS = {PROVINCE: 0, CITY: 1, COUNTY: 2}
