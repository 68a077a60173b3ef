"""Reading the directory database into a ``BranchIndex``, through the index cache."""

from __future__ import annotations

from core.lookup.index import BranchIndex, BranchRecord
from core.names.gazetteer import Gazetteer, read_city_table


def load_index(directory: object, use_cache: bool) -> BranchIndex:
    """Return the index of ``directory``: from the cache when it is current, else built."""
    from core.lookup import cache

    signature = cache.directory_signature(directory) if use_cache else ()
    if use_cache:
        cached = cache.load_cached_index(directory, signature)
        if cached is not None:
            return cached
    index = BranchIndex.build(records_of(directory), gazetteer_of(directory))
    if use_cache:
        cache.save_index(directory, signature, index)
    return index


def records_of(directory: object) -> list[BranchRecord]:
    db = directory.db  # type: ignore[attr-defined]
    return [
        BranchRecord(code, name, city_code or "", city_name or "", province or "")
        for code, name, city_code, city_name, province in db.execute(
            "SELECT cnaps_code, name, city_code, city_name, province_name FROM branches ORDER BY cnaps_code"
        )
    ]


def gazetteer_of(directory: object) -> Gazetteer:
    db = directory.db  # type: ignore[attr-defined]
    cities: list[dict[str, str]] = []
    if "cities" in db.table_names():
        cities = [
            {"city_code": code, "city_name": name, "province_name": province}
            for code, name, province in db.execute("SELECT city_code, city_name, province_name FROM cities")
        ]
    if not cities:
        cities = read_city_table()
    names = [name for (name,) in db.execute("SELECT name FROM branches")]
    return Gazetteer.build(cities, names)
