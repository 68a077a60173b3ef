"""Calibrate the engine's confidence threshold on generated queries.

Run ``python -m core.lookup.calibrate [--count N] [--seed S] [--queries FILE]``.

Method: sample branches of the demo directory, hold a quarter of them out of the
index (queries about them must get no answer), and write one query per sampled
branch in a writing habit drawn at random: the official name without legal
suffix, a short bank name, the place first ("周市的建行"), map-style brackets,
words of asking, traditional characters, a homophone or dropped or doubled
character, and the city left out. Every query is looked up with the threshold at
0, and the script prints, for each candidate threshold, the share of queries
answered and the share of answers that were right, overall and per habit. The
threshold in ``core.lookup.engine`` is the lowest one whose answers are right at
least 99.5% of the time here (a margin over the 99% target, because generated
typos are milder than real ones), checked against a labelled queries file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

import opencc

from core.lookup.engine import LookupEngine
from core.lookup.index import BranchIndex, BranchRecord
from core.names.gazetteer import Gazetteer, read_city_table
from core.paths import PACKAGE_DATA
from core.text.banks import banks_by_category
from core.text.normalize import strip_legal_suffix
from core.text.pinyin import char_pinyin

HABITS = ("no_legal", "short", "location_first", "bracket", "asking", "traditional", "typo", "no_city")
THRESHOLDS = tuple(round(0.5 + step * 0.02, 2) for step in range(26))


@dataclass(frozen=True)
class Generated:
    query: str
    cnaps_code: str | None  # None when the branch was held out of the index
    kind: str


def read_demo_records() -> list[BranchRecord]:
    cities = {row["city_code"]: row for row in read_city_table()}
    records = []
    with open(PACKAGE_DATA / "demo_branches.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["cnaps_code"]
            city = cities.get(code[3:7], {})
            records.append(
                BranchRecord(
                    code, row["name"], code[3:7], city.get("city_name", ""), city.get("province_name", "")
                )
            )
    return records


def _homophones(index: BranchIndex) -> dict[str, list[str]]:
    by_sound: dict[str, list[str]] = {}
    for char in index.postings:
        if "\u4e00" <= char <= "\u9fff":
            by_sound.setdefault(char_pinyin(char), []).append(char)
    return {
        char: [other for other in by_sound[char_pinyin(char)] if other != char]
        for char in index.postings
        if char_pinyin(char) in by_sound
    }


def write_query(
    index: BranchIndex, row: int, habit: str, rng: random.Random, homophones: dict[str, list[str]]
) -> str:
    """Write one query for the branch at ``row`` in the given habit."""
    entity, rest = index.entities[row], index.rest(row)
    bank = banks_by_category().get(index.codes[row][:3])
    short = entity
    if bank is not None and bank.name and bank.short_names:
        short = rng.choice((bank.name, *bank.short_names[:2]))
    elif entity.endswith("农村商业银行"):
        short = entity[: -len("农村商业银行")] + rng.choice(("农商行", "农商银行"))
    plain = strip_legal_suffix(index.names[row])
    if habit == "no_legal":
        return plain
    if habit == "short":
        return short + rest
    if habit == "location_first":
        core = (
            rest[: -len(index.units[row])] if index.units[row] and rest.endswith(index.units[row]) else rest
        )
        return f"{core}的{short}"
    if habit == "bracket":
        return f"{short}({rest})"
    if habit == "asking":
        return rng.choice(("请问{}的联行号", "查询{}行号", "帮忙查一下{}的行号是多少")).format(short + rest)
    if habit == "traditional":
        return _to_traditional().convert(short + rest)
    if habit == "no_city":
        places = index.places[row]
        trimmed = rest[len(places[0]) :] if places and rest.startswith(places[0]) else rest
        return short + trimmed
    # typo: a homophone, a dropped or a doubled character inside the branch's own name
    branch = index.branch_names[row]
    start = rest.find(branch) if branch else -1
    if start < 0 or len(branch) < 2:
        return short + rest
    position = start + rng.randrange(len(branch))
    char = rest[position]
    choice = rng.random()
    if choice < 0.5 and homophones.get(char):
        replaced = rest[:position] + rng.choice(homophones[char]) + rest[position + 1 :]
    elif choice < 0.75 and len(branch) >= 3:
        replaced = rest[:position] + rest[position + 1 :]
    else:
        replaced = rest[:position] + char + rest[position:]
    return short + replaced


_TRADITIONAL: list[opencc.OpenCC] = []


def _to_traditional() -> opencc.OpenCC:
    if not _TRADITIONAL:
        _TRADITIONAL.append(opencc.OpenCC("s2t"))
    return _TRADITIONAL[0]


def generate(count: int, seed: int) -> tuple[LookupEngine, list[Generated]]:
    """Build an engine without the held-out quarter and the queries for the sample."""
    rng = random.Random(seed)
    records = read_demo_records()
    full = BranchIndex.build(records, Gazetteer.build(read_city_table(), [r.name for r in records]))
    sample = rng.sample(range(len(records)), count)
    held_out = set(sample[: count // 4])
    homophones = _homophones(full)
    queries = []
    for row in sample:
        habit = rng.choice(HABITS)
        text = write_query(full, row, habit, rng, homophones)
        queries.append(Generated(text, None if row in held_out else records[row].cnaps_code, habit))
    kept = [record for row, record in enumerate(records) if row not in held_out]
    index = BranchIndex.build(kept, full.gazetteer)
    return LookupEngine(index=index, threshold=0.0), queries


def sweep(outcomes: Sequence[tuple[str, str | None, str | None, float]]) -> list[dict]:
    """For each threshold: answered share and precision, overall and per kind."""
    table = []
    for threshold in THRESHOLDS:
        row: dict = {"threshold": threshold}
        for kind in ("all", *sorted({outcome[0] for outcome in outcomes})):
            chosen = [o for o in outcomes if kind in ("all", o[0])]
            answered = [o for o in chosen if o[3] >= threshold and o[2] is not None]
            right = sum(1 for o in answered if o[2] == o[1])
            row[kind] = (
                len(answered) / max(len(chosen), 1),
                right / len(answered) if answered else 1.0,
                len(chosen),
            )
        table.append(row)
    return table


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", help="also sweep a labelled queries file (JSON Lines)")
    args = parser.parse_args(argv)

    engine, queries = generate(args.count, args.seed)
    outcomes = []
    for query in queries:
        result = engine.lookup(query.query)
        top = result.candidates[0].cnaps_code if result.candidates else None
        outcomes.append((query.kind, query.cnaps_code, top, result.confidence))
    _print_sweep("generated", sweep(outcomes))

    if args.queries:
        from core.store import open_directory

        full_engine = LookupEngine(open_directory(), threshold=0.0)
        labelled = []
        with open(args.queries, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                result = full_engine.lookup(record["query"])
                top = result.candidates[0].cnaps_code if result.candidates else None
                labelled.append((record.get("kind", "-"), record["cnaps_code"], top, result.confidence))
        _print_sweep(args.queries, sweep(labelled))


def _print_sweep(title: str, table: list[dict]) -> None:
    print(f"== {title}")
    kinds = [key for key in table[0] if key != "threshold"]
    print("threshold " + " ".join(f"{kind:>22}" for kind in kinds))
    for row in table:
        cells = " ".join(f"{row[kind][0]:>9.1%} {row[kind][1]:>7.2%} n{row[kind][2]:<4}" for kind in kinds)
        print(f"{row['threshold']:<9} {cells}")


if __name__ == "__main__":
    main()
