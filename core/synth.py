"""Generate realistic synthetic national directories for scale tests and benchmarks.

The real CNAPS directory holds about 150,000 branches; this package ships 12,130
real rows. The generator learns the bank-category mix, the regional bank names and
the branch place words from those rows and writes as many rows as asked, with real
city codes and names from the city table. Every code is valid: digits 1-3 are the
bank category, 4-7 the city code, 8-11 a serial, and the 12th is the ISO 7064
MOD 11,10 check digit. Output is deterministic for a seed, and every row says it
is synthetic.
"""

from __future__ import annotations

import csv
import functools
import itertools
import logging
import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.checkdigit import with_check_digit
from core.jobs import Progress
from core.paths import PACKAGE_DATA
from core.synth_banks import (
    FOREIGN,
    NATIONWIDE,
    VILLAGE_BRANDS,
    Issuer,
    category_weights,
    learn_regional_issuers,
    make_rural_issuer,
    province_short_name,
)
from core.synth_names import build_name
from core.synth_places import harvest_place_words, short_city_name

logger = logging.getLogger(__name__)

SOURCE = "synthetic"
FORMATS = ("csv", "unl")
CSV_COLUMNS = ("cnaps_code", "name", "source")
MUNICIPALITIES = ("1000", "1100", "2900", "6530")
# A category that keeps producing duplicate names or codes is full; it is dropped after
# this many failures in a row and its share goes to the others.
MAX_FAILURES_IN_A_ROW = 400


@dataclass(frozen=True)
class SynthBranch:
    """One generated directory row."""

    cnaps_code: str
    name: str
    bank_category: str  # digits 1-3 of the code
    city_code: str  # digits 4-7 of the code
    city_name: str
    province_name: str
    source: str = SOURCE


@dataclass(frozen=True)
class City:
    """A row of the city table, with the prefecture it belongs to."""

    code: str
    name: str
    province: str
    prefecture: str  # code of the prefecture-level city; its own code for a prefecture
    capital: bool  # a provincial capital or a municipality

    @property
    def is_prefecture(self) -> bool:
        return self.code == self.prefecture


@dataclass(frozen=True)
class _Model:
    """What the generator learns from the shipped data; built once per process."""

    cities: tuple[City, ...]
    by_code: dict[str, City]
    category_weights: dict[str, float]
    regional_issuers: dict[str, list[Issuer]]
    place_words: tuple[str, ...]


@functools.cache
def _load_model() -> _Model:
    with (PACKAGE_DATA / "cnaps_city_codes.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    with (PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8", newline="") as handle:
        demo = [(row["cnaps_code"], row["name"]) for row in csv.DictReader(handle)]

    cities: list[City] = []
    prefecture = ""
    seen_provinces: set[str] = set()
    # The table lists each prefecture-level city (code ending in 0) before its counties.
    for row in table:
        code = row["city_code"]
        if code.endswith("0") or not prefecture or row["province_name"] not in seen_provinces:
            prefecture = code
        capital = code in MUNICIPALITIES or row["province_name"] not in seen_provinces
        seen_provinces.add(row["province_name"])
        cities.append(City(code, row["city_name"], row["province_name"], prefecture, capital))

    return _Model(
        cities=tuple(cities),
        by_code={city.code: city for city in cities},
        category_weights=category_weights(code for code, _ in demo),
        regional_issuers=learn_regional_issuers(demo),
        place_words=tuple(
            harvest_place_words((name for _, name in demo), (row["city_name"] for row in table))
        ),
    )


def generate_directory(
    rows: int = 150_000,
    seed: int = 0,
    *,
    reserved_codes: Collection[str] = (),
    reserved_names: Collection[str] = (),
    progress: Progress | None = None,
) -> Iterator[SynthBranch]:
    """Yield ``rows`` synthetic branches with unique codes and unique names.

    ``reserved_codes`` and ``reserved_names`` are never produced, so the output can be
    merged with a real directory without collisions. The same ``seed`` gives the same
    rows. Raises ``ValueError`` for a negative ``rows``, or while iterating when no
    unique branch is left (not reached at 600,000 rows, four times the national directory).
    """
    if rows < 0:
        raise ValueError(f"rows must be zero or more, got {rows}")
    generator = _Generator(_load_model(), random.Random(seed), set(reserved_codes), set(reserved_names))
    if progress is not None:
        progress.start_stage("generate", total=rows)
    for produced in range(rows):
        yield generator.next_branch()
        if progress is not None and produced % 1000 == 999:
            progress.advance(1000)


def write_directory(
    path: str | Path,
    rows: int = 150_000,
    seed: int = 0,
    format: str = "csv",
    *,
    progress: Progress | None = None,
) -> int:
    """Write a synthetic directory file and return the number of rows written.

    ``csv``: UTF-8 with the header ``cnaps_code,name,source`` and ``synthetic`` in the
    source column. ``unl``: the pipe-delimited unload layout of directory exports, one
    ``code|name|source|`` line per branch, UTF-8, no header.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    path = Path(path)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        if format == "csv":
            writer.writerow(CSV_COLUMNS)
        for branch in generate_directory(rows, seed, progress=progress):
            if format == "csv":
                writer.writerow((branch.cnaps_code, branch.name, branch.source))
            else:
                handle.write(f"{branch.cnaps_code}|{branch.name}|{branch.source}|\n")
            count += 1
    logger.info("wrote %d synthetic branches (seed %d) to %s", count, seed, path)
    return count


class _Generator:
    """Draws one unique branch at a time; all randomness comes from ``rng``."""

    def __init__(self, model: _Model, rng: random.Random, codes: set[str], names: set[str]) -> None:
        self.model = model
        self.rng = rng
        self.used_codes = codes
        self.used_names = names
        self.produced = 0
        self.serials: dict[tuple[str, str], int] = {}
        self.failures: dict[str, int] = {}
        self.weights = {
            category: weight for category, weight in sorted(model.category_weights.items()) if weight > 0
        }
        self.issuers = {issuer.category: issuer for issuer in NATIONWIDE}
        self.county_issuers: dict[tuple[str, str], Issuer] = {}
        self.city_banks = self._city_bank_issuers()
        self.all_cities = [
            city for city in model.cities if city.province not in ("香港特别行政区", "澳门特别行政区")
        ]
        self.all_weights = list(
            itertools.accumulate(_city_weight(city, county=1.2) for city in self.all_cities)
        )
        self.prefectures = [city for city in self.all_cities if city.is_prefecture]
        self.prefecture_weights = list(
            itertools.accumulate(_city_weight(city, county=0) for city in self.prefectures)
        )
        self.counties_of: dict[str, list[City]] = {}
        for city in self.all_cities:
            if not city.is_prefecture:
                self.counties_of.setdefault(city.prefecture, []).append(city)
        self.prefectures_of: dict[str, list[City]] = {}
        for city in self.prefectures:
            self.prefectures_of.setdefault(city.province, []).append(city)
        self.large_cities = [city for city in self.prefectures if city.capital]

    def next_branch(self) -> SynthBranch:
        """Draw the next unique branch; raises ``ValueError`` once every category is full."""
        while True:
            if not self.weights:
                raise ValueError(
                    f"no unique code or name is left after {self.produced:,} rows; ask for fewer rows"
                )
            category = self.rng.choices(list(self.weights), list(self.weights.values()))[0]
            branch = self._draw(category)
            if branch is not None:
                self.failures[category] = 0
                self.produced += 1
                return branch
            self.failures[category] = self.failures.get(category, 0) + 1
            if self.failures[category] >= MAX_FAILURES_IN_A_ROW:
                logger.debug("category %s is full after %d failures", category, MAX_FAILURES_IN_A_ROW)
                del self.weights[category]

    def _draw(self, category: str) -> SynthBranch | None:
        city, name = self._city_and_name(category)
        if name in self.used_names:
            return None
        code = self._next_code(category, city.code)
        if code is None:
            return None
        self.used_names.add(name)
        self.used_codes.add(code)
        return SynthBranch(code, name, category, city.code, city.name, city.province)

    def _next_code(self, category: str, city_code: str) -> str | None:
        key = (category, city_code)
        serial = self.serials.get(key, 0)
        while True:
            # Real serials are mostly consecutive, with gaps where branches closed.
            serial += 1 if self.rng.random() < 0.85 else 2
            if serial > 9999:
                self.serials[key] = serial
                return None
            code = with_check_digit(f"{category}{city_code}{serial:04d}")
            if code not in self.used_codes:
                self.serials[key] = serial
                return code

    # Choosing the bank and the city.

    def _city_and_name(self, category: str) -> tuple[City, str]:
        issuer, city, head_office = self._issuer_and_city(category)
        return city, build_name(issuer, city, self.model, self.rng, head_office=head_office)

    def _issuer_and_city(self, category: str) -> tuple[Issuer, City, bool]:
        rng = self.rng
        if category in self.issuers:
            issuer = self.issuers[category]
            if issuer.style == "national":
                return issuer, rng.choices(self.all_cities, cum_weights=self.all_weights)[0], False
            if issuer.style == "joint_stock":
                return issuer, rng.choices(self.prefectures, cum_weights=self.prefecture_weights)[0], False
            if issuer.style == "policy":
                return issuer, rng.choice(self.all_cities), False
            return issuer, self._regional_city(issuer.home), False
        if category == "313":
            issuer = rng.choice(self.city_banks)
            return issuer, self._regional_city(issuer.home), False
        if category in ("314", "402", "320", "401"):
            return self._county_issuer(category)
        issuer = next(issuer for issuer in FOREIGN if issuer.category == category)
        return issuer, rng.choice(self.large_cities), False

    def _regional_city(self, home: str) -> City:
        """A city for a regional bank: mostly its home prefecture, sometimes its province."""
        model, rng = self.model, self.rng
        home_city = model.by_code[home]
        roll = rng.random()
        if roll < 0.55:
            return home_city
        if roll < 0.85:
            counties = self.counties_of.get(home_city.prefecture)
            if counties:
                return rng.choice(counties)
        return rng.choice(self.prefectures_of.get(home_city.province) or [home_city])

    def _county_issuer(self, category: str) -> tuple[Issuer, City, bool]:
        rng = self.rng
        pool = self.all_cities if category != "401" else self.prefectures
        city = rng.choice(pool)
        key = (category, city.code)
        issuer = self.county_issuers.get(key)
        if issuer is not None:
            return issuer, city, False
        issuer = self._learned_issuer(category, city.code) or self._new_county_issuer(category, city)
        self.county_issuers[key] = issuer
        # A bank's first row is its head office: "庆城县农村信用合作联社".
        return issuer, city, True

    def _learned_issuer(self, category: str, city_code: str) -> Issuer | None:
        for issuer in self.model.regional_issuers.get(category, ()):
            if issuer.home == city_code:
                return issuer
        return None

    def _new_county_issuer(self, category: str, city: City) -> Issuer:
        rng = self.rng
        short = short_city_name(city.name)
        province = province_short_name(city.province)
        if category == "320":
            prefecture = short_city_name(self.model.by_code[city.prefecture].name)
            place = short if city.is_prefecture else prefecture + short
            brand = rng.choice(VILLAGE_BRANDS)
            return Issuer(
                category, f"{place}{brand}村镇银行", rng.choice(("股份有限公司", "有限责任公司")), "village"
            )
        if category == "401":
            return Issuer(category, f"{city.name}城市信用社", "", "credit_union")
        kind = 0 if category == "314" else rng.choices((0, 1, 2), (4, 1, 5))[0]
        county = city.name if city.name[-1] in "市县区旗" else city.name + "市"
        return make_rural_issuer(category, province, short, county, kind)

    def _city_bank_issuers(self) -> list[Issuer]:
        """City commercial banks: those in the demo rows, and made-up ones for 60 more cities."""
        learned = [
            issuer
            for issuer in self.model.regional_issuers.get("313", [])
            if issuer.home in self.model.by_code
        ]
        served = {self.model.by_code[issuer.home].prefecture for issuer in learned}
        free = [city for city in self.model.cities if city.is_prefecture and city.code not in served]
        made_up = [
            Issuer("313", f"{short_city_name(city.name)}银行", "股份有限公司", "regional", home=city.code)
            for city in self.rng.sample(free, min(60, len(free)))
        ]
        return learned + made_up


def _city_weight(city: City, county: float) -> float:
    """How many branches a city has relative to a county (an estimate, not measured)."""
    if city.code in MUNICIPALITIES:
        return 60.0
    if city.capital:
        return 25.0
    if city.is_prefecture:
        return 8.0
    return county
