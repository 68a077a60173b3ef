"""Place names of the directory: provinces, cities, counties and districts.

The 4-digit city table (``cnaps_city_codes.csv``) names provinces, prefecture
cities and many county-level places. Urban districts ("海淀区") are mostly missing
from it, so ``Gazetteer.build`` also collects the "XX区/县/旗" that follow a known
city in official branch names. Every place is known in its written form and in its
short form without the administrative suffix ("唐山市" and "唐山"); short forms of
one character are left out because they collide with ordinary words.

Districts that official names never write with their suffix ("青岛城阳支行") come
from ``districts.csv``.

NOTE: ``districts.csv`` lists only the districts found that way in the demo names
(a word after a city that starts several branch names), checked by hand. Other
such districts stay unknown until they are added there.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.paths import PACKAGE_DATA

PROVINCE = "province"
CITY = "city"
COUNTY = "county"
_LEVEL_ORDER = {PROVINCE: 0, CITY: 1, COUNTY: 2}

ETHNIC_GROUPS = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|"
    "景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|"
    "保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{ETHNIC_GROUPS})族)+自治(?:州|县|旗|区)$")
_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)

# Words ending in 区/县 that name a zone or an area inside a city, not a district.
_NOT_DISTRICTS = re.compile(
    r"(开发|新|高新|园|工业|保税|经济|示范|试验|实验|景|小|校|社|港|矿|林|垦|库|牧|片|功能|集聚|合作|产业|综合|"
    r"中心|商务|商|城|市|郊|老城|主城|城关|开发新|园林|风景|旅游|度假|自贸|物流|科技|综保|兵团|农场)区$"
    r"|开区$|高新|行政|银行|市|站区$"
)
_DISTRICT_AFTER_CITY = re.compile(r"([\u4e00-\u9fff]{2,3}?(?:区|县|旗))")

_LEGAL_SUFFIX = re.compile(r"(?:[（(]中国[)）])?(?:股份有限责任公司|股份有限公司|有限责任公司|有限公司)")

# Characters after a place name that make it part of a street or site name
# ("北京路", "南京东路"), which is the branch's own name, not a location.
_ROAD_CHARS = frozenset("路街道巷桥弄")
_DIRECTION_CHARS = frozenset("东西南北中大")
# A number and a road word after a place name ("新兴三路", "人民2街") make a numbered road.
_NUMBERED_ROAD = re.compile(r"[一二三四五六七八九十\d]{1,3}(?:马路|横路|[路街道巷弄])")


@dataclass(frozen=True)
class Place:
    """A place of the city table or of the directory's names."""

    name: str  # as written in the table: "唐山市", "石家庄", "海淀区"
    level: str  # PROVINCE, CITY or COUNTY
    province: str  # "河北省"; empty when unknown
    city_codes: tuple[str, ...] = ()  # 4-digit codes of the table rows it names


@dataclass
class Gazetteer:
    """Written and short forms of every place, for longest-match scanning."""

    forms: dict[str, list[Place]] = field(default_factory=dict)
    max_form_length: int = 0

    def add(self, place: Place) -> None:
        for form in place_forms(place.name):
            entries = self.forms.setdefault(form, [])
            if place not in entries:
                entries.append(place)
            self.max_form_length = max(self.max_form_length, len(form))

    def match_at(self, text: str, start: int) -> str | None:
        """Return the longest place form that starts at ``text[start]``, or None."""
        longest = min(self.max_form_length, len(text) - start)
        for length in range(longest, 1, -1):
            form = text[start : start + length]
            if form in self.forms:
                return form
        return None

    def places(self, form: str) -> list[Place]:
        return self.forms.get(form, [])

    def level(self, form: str) -> str:
        """Return the highest level a form can name (a province before a city)."""
        entries = self.forms.get(form, [])
        if not entries:
            return ""
        return min((place.level for place in entries), key=_LEVEL_ORDER.__getitem__)

    def is_location_at(self, text: str, start: int, form: str) -> bool:
        """Whether ``form`` at ``start`` names a place rather than the start of a street name."""
        end = start + len(form)
        if end >= len(text):
            return True
        if text[end] in _ROAD_CHARS or _NUMBERED_ROAD.match(text, end):
            return False
        # "北京东路" and "北京大街" are streets; "北京东四" starts with a place.
        return not (text[end] in _DIRECTION_CHARS and end + 1 < len(text) and text[end + 1] in _ROAD_CHARS)

    def provinces_at_start(self, text: str) -> set[str]:
        """Return the provinces of the places that start ``text`` ("常德农村商业银行" -> {"湖南省"}).

        Each further place narrows the set ("江苏南通..."). Empty when ``text`` starts
        with no place or the places have no known province.
        """
        provinces: set[str] = set()
        position = 0
        while (form := self.match_at(text, position)) is not None:
            found = {place.province for place in self.places(form) if place.province}
            provinces = (provinces & found) or provinces if provinces else found
            position += len(form)
        return provinces

    def fits(self, form: str, provinces: set[str], cities_too: bool = False) -> bool:
        """Whether ``form`` may name a place in one of ``provinces``.

        A form that may name a province always fits, and so does any form when
        ``provinces`` is empty. A city is checked only with ``cities_too``, for
        provinces known from the branch's city code or a rural bank's name: those
        of a city commercial bank ("北京银行") do not rule out "北京银行南京分行".
        """
        entries = self.places(form)
        checked = (COUNTY, CITY) if cities_too else (COUNTY,)
        if not provinces or not entries or any(place.level not in checked for place in entries):
            return True
        return any(not place.province or place.province in provinces for place in entries)

    def is_bare_county(self, form: str) -> bool:
        """Whether ``form`` names only county-level places and is written without suffix ("连山")."""
        entries = self.places(form)
        return (
            bool(entries)
            and all(place.level == COUNTY for place in entries)
            and not any(form.endswith(suffix) for suffix in _SUFFIXES)
        )

    @classmethod
    def build(
        cls,
        cities: Iterable[dict[str, str]],
        names: Iterable[str] = (),
        districts: Iterable[dict[str, str]] | None = None,
    ) -> Gazetteer:
        """Build from city-table rows (``city_code``, ``city_name``, ``province_name``) and branch names.

        ``districts`` (``district_name``, ``province_name``) defaults to the shipped
        ``districts.csv``.
        """
        gazetteer = cls()
        provinces: set[str] = set()
        by_name: dict[tuple[str, str], list[str]] = {}
        for row in cities:
            provinces.add(row["province_name"])
            by_name.setdefault((row["city_name"], row["province_name"]), []).append(row["city_code"])
        for province in sorted(provinces):
            gazetteer.add(Place(province, PROVINCE, province))
        for (city_name, province), codes in sorted(by_name.items()):
            # Prefecture codes end in 0 in the city table; other rows are county-level.
            level = CITY if any(code.endswith("0") for code in codes) else COUNTY
            gazetteer.add(Place(city_name, level, province, tuple(codes)))
        for district, province in sorted(_districts_after_cities(gazetteer, names)):
            if district not in gazetteer.forms:
                gazetteer.add(Place(district, COUNTY, province))
        for row in read_district_table() if districts is None else districts:
            if row["district_name"] not in gazetteer.forms:
                gazetteer.add(Place(row["district_name"], COUNTY, row["province_name"]))
        return gazetteer


def district_at(text: str, start: int) -> str | None:
    """Return an unknown "XX区/县/旗" at ``text[start]`` that names a district, not a zone."""
    match = _DISTRICT_AFTER_CITY.match(text, start)
    if match is None or match.end() >= len(text) or _NOT_DISTRICTS.search(match.group(1)):
        return None
    return match.group(1)


def place_forms(name: str) -> list[str]:
    """Return the written form of a place and its short forms without suffix."""
    forms = [name]
    match = _AUTONOMOUS.match(name)
    if match:
        forms.append(match.group(1))
    else:
        for suffix in _SUFFIXES:
            if name.endswith(suffix):
                forms.append(name[: -len(suffix)])
                break
        else:
            # Table names written without suffix ("石家庄") also get the suffixed form.
            forms.append(name + "市")
    return [form for form in forms if len(form) >= 2]


def _districts_after_cities(gazetteer: Gazetteer, names: Iterable[str]) -> set[tuple[str, str]]:
    """Collect "XX区/县/旗" written right after the bank and a known city, with the city's province."""
    from core.names.parser import find_bank_end

    found: set[tuple[str, str]] = set()
    for name in names:
        position = find_bank_end(name)
        legal = _LEGAL_SUFFIX.match(name, position)
        if legal:
            position = legal.end()
        form = gazetteer.match_at(name, position)
        if form is not None and gazetteer.level(form) == PROVINCE:
            position += len(form)
            form = gazetteer.match_at(name, position)
        if form is None or gazetteer.level(form) != CITY:
            continue
        match = _DISTRICT_AFTER_CITY.match(name, position + len(form))
        if match and not _NOT_DISTRICTS.search(match.group(1)):
            cities = [place for place in gazetteer.places(form) if place.level == CITY]
            province = cities[0].province if len(cities) == 1 else ""
            found.add((match.group(1), province))
    return found


def read_city_table(path: str | None = None) -> list[dict[str, str]]:
    """Read ``cnaps_city_codes.csv`` (the shipped copy unless ``path`` is given)."""
    source = path or PACKAGE_DATA / "cnaps_city_codes.csv"
    with open(source, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_district_table() -> list[dict[str, str]]:
    """Read the shipped ``districts.csv``: districts the city table and the names leave out."""
    with open(PACKAGE_DATA / "districts.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_demo_names() -> list[str]:
    with open(PACKAGE_DATA / "demo_branches.csv", encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle)]


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped city table and demo branch names."""
    return Gazetteer.build(read_city_table(), read_demo_names())
