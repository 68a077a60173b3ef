"""Rule-built labelled queries from official branch names, for tests and a stand-in data set.

The real training data comes from ``bankcode augment``. This module only splits an
official name into BANK / LOC / BRANCH by three rules and writes a handful of query
shapes from the parts. The bank ends at its first "银行" or "联社" plus legal suffix, a
leading city or province name is LOC, and the rest is BRANCH. Names that the rules
cannot split are skipped.

    python -m core.ner.simple_data OUT_DIR [--size 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from core import paths
from core.names.parts import UNIT_TYPES

_BANK_END = re.compile(r"(银行|信用合作联社|联社)(股份有限公司|有限责任公司|有限公司)?")
_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
_SHORT_NAMES = {
    "中国工商银行": ("工行", "工商银行"),
    "中国建设银行": ("建行", "建设银行"),
    "中国农业银行": ("农行", "农业银行"),
    "中国银行": ("中行",),
    "交通银行": ("交行",),
    "招商银行": ("招行",),
    "中国邮政储蓄银行": ("邮储银行", "邮政银行"),
}
# Query shapes built from a name's parts; make_queries spells each out as (label, text) pieces.
_SHAPES = ("official", "loc_branch_of_bank", "bank_branch", "bank_loc_branch", "bank_bracket_branch")


@cache
def _place_names() -> tuple[str, ...]:
    names: set[str] = set()
    with (paths.PACKAGE_DATA / "cnaps_city_codes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for place in (row["city_name"], row["province_name"]):
                names.add(place)
                if len(place) > 2 and place[-1] in "市省":
                    names.add(place[:-1])
    return tuple(sorted(names, key=len, reverse=True))


def split_name(name: str) -> tuple[str, str, str] | None:
    """Split an official name into (bank with legal suffix, leading place, branch), or None."""
    match = _BANK_END.search(name)
    if match is None or match.start() == 0:
        return None
    bank, rest = name[: match.end()], name[match.end() :]
    place = next((place for place in _place_names() if rest.startswith(place) and len(rest) > len(place)), "")
    return bank, place, rest[len(place) :]


def make_queries(name: str, rng: random.Random) -> list[dict[str, Any]]:
    """Return labelled records of a few query shapes for one official name."""
    parts = split_name(name)
    if parts is None:
        return []
    bank, place, branch = parts
    short_bank = bank
    for suffix in _LEGAL_SUFFIXES:
        short_bank = short_bank.removesuffix(suffix)
    short_bank = rng.choice((short_bank,) + _SHORT_NAMES.get(short_bank, ()))
    branch_core = branch
    for unit in sorted(UNIT_TYPES, key=len, reverse=True):
        if branch.endswith(unit) and len(branch) > len(unit) + 1:
            branch_core = branch[: -len(unit)]
            break

    pieces_by_shape = {
        "official": [("BANK", bank), ("LOC", place), ("BRANCH", branch)],
        "loc_branch_of_bank": [("LOC", place), ("BRANCH", branch_core), ("", "的"), ("BANK", short_bank)],
        "bank_branch": [("BANK", short_bank), ("BRANCH", branch)],
        "bank_loc_branch": [("BANK", short_bank), ("LOC", place), ("BRANCH", branch_core)],
        "bank_bracket_branch": [
            ("BANK", short_bank),
            ("", "("),
            ("LOC", place),
            ("BRANCH", branch),
            ("", ")"),
        ],
    }

    shapes = _SHAPES if branch else ("official", "bank_branch")
    records = []
    for shape in rng.sample(shapes, 2):
        text, labels = "", []
        for label, piece in pieces_by_shape[shape]:
            if label and piece:
                labels.append(
                    {"start": len(text), "end": len(text) + len(piece), "label": label, "text": piece}
                )
            text += piece
        if labels:
            records.append(
                {"text": text, "labels": labels, "cnaps_code": None, "kind": shape, "source": "rules"}
            )
    return records


def write_rule_dataset(
    output_dir: Path, names: Sequence[str] | None = None, size: int = 20000, seed: int = 7
) -> dict[str, int]:
    """Write train/dev/test JSONL (80/10/10 by name, so no name is in two splits) and a manifest."""
    rng = random.Random(seed)
    if names is None:
        with (paths.PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8") as handle:
            names = [row["name"] for row in csv.DictReader(handle)]
    names = list(names)
    rng.shuffle(names)
    cut_dev, cut_test = int(len(names) * 0.8), int(len(names) * 0.9)
    groups = {"train": names[:cut_dev], "dev": names[cut_dev:cut_test], "test": names[cut_test:]}
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for split, group in groups.items():
        wanted = size * (8 if split == "train" else 1) // 10
        records: list[dict[str, Any]] = []
        while group and len(records) < wanted:
            for name in group:
                records.extend(make_queries(name, rng))
                if len(records) >= wanted:
                    break
        with (output_dir / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for record in records[:wanted]:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        counts[split] = min(len(records), wanted)
    manifest = {"generator": "core.ner.simple_data", "seed": seed, "size": size, "counts": counts}
    (output_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a rule-built NER data set from the demo directory.")
    parser.add_argument("output_dir", type=Path)
    parser.add_argument("--size", type=int, default=20000, help="examples over all three splits")
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args(argv)
    write_rule_dataset(arguments.output_dir, size=arguments.size, seed=arguments.seed)


if __name__ == "__main__":
    main()
