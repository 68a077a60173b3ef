"""Benchmark queries written the way clerks type them, each with its right result.

Each query is made from one directory branch. Its official name is split into bank,
places, branch and unit (``core.names.parser``) and written back in a style clerks
use: a short bank name, the place first ("昆山周市的建行"), no legal suffix, the
branch in brackets, a homophone typo, traditional characters or no city.
Queries of kind ``absent`` are made from branches left out of the directory, so the
right result is no answer.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

import opencc

from core.augment.typos import homophones
from core.names.parser import parse_official_name
from core.names.parts import NameParts
from core.text.banks import banks_by_category

# (kind, weight in percent); ``absent`` queries come from held-out branches.
QUERY_KINDS = (
    ("official", 5),
    ("short_bank", 15),
    ("location_first", 15),
    ("no_legal_suffix", 10),
    ("bracket", 10),
    ("typo", 15),
    ("traditional", 10),
    ("no_city", 10),
    ("absent", 10),
)
# Written forms of a rural bank type, longest first: "农村商业银行" is typed "农商行".
_RURAL_SHORT_FORMS = (
    ("农村商业银行", ("农商行", "农商银行", "农村商业银行")),
    ("农村信用合作联社", ("信用社", "农信社", "信用联社")),
    ("农村合作银行", ("合作银行", "农合行")),
)
_ADMIN_SUFFIX = re.compile(r"[市县区]$")


@dataclass(frozen=True)
class BenchQuery:
    """One benchmark query and the code a right lookup returns (None: no answer)."""

    text: str
    expected: str | None
    kind: str  # one of QUERY_KINDS
    origin: str  # "real" for a demo row, "synthetic" for a generated one


def absent_share() -> float:
    """Fraction of queries whose branch is left out of the directory."""
    return dict(QUERY_KINDS)["absent"] / sum(weight for _, weight in QUERY_KINDS)


def make_queries(
    targets: Sequence[tuple[str, str, str]],
    absent: Sequence[tuple[str, str, str]],
    rng: random.Random,
) -> list[BenchQuery]:
    """Write one query per target and per absent branch, in a shuffled order.

    ``targets`` and ``absent`` are (cnaps_code, name, origin) rows; ``targets`` are in
    the directory and ``absent`` are not. A target's kind is drawn from QUERY_KINDS
    without ``absent``; an absent branch gets a style drawn the same way.
    """
    kinds = [kind for kind, _ in QUERY_KINDS if kind != "absent"]
    weights = [weight for kind, weight in QUERY_KINDS if kind != "absent"]
    target_kinds = rng.choices(kinds, weights, k=len(targets))
    absent_styles = rng.choices(kinds, weights, k=len(absent))
    order = list(range(len(targets) + len(absent)))
    rng.shuffle(order)
    # Writing a query draws a varying number of random values (typo positions, short
    # names), so it gets its own generator: the kinds and the order above stay the same
    # when the parser or the typo tables change.
    writer_rng = random.Random(rng.random())
    queries: list[BenchQuery] = []
    for (code, name, origin), kind in zip(targets, target_kinds, strict=True):
        queries.append(BenchQuery(write_query(name, code, kind, writer_rng), code, kind, origin))
    for (code, name, origin), style in zip(absent, absent_styles, strict=True):
        queries.append(BenchQuery(write_query(name, code, style, writer_rng), None, "absent", origin))
    return [queries[index] for index in order]


def write_query(name: str, code: str, kind: str, rng: random.Random) -> str:
    """Write the branch ``name`` in the query style ``kind``."""
    parts = parse_official_name(name)
    bank = parts.bank or name
    places = "".join(parts.locations)
    branch = parts.branch + parts.unit
    short = short_bank_name(parts, code, rng)
    if kind == "official":
        return name
    if kind == "no_legal_suffix":
        return name.replace(parts.legal_suffix, "", 1) if parts.legal_suffix else name
    if kind == "short_bank":
        return short + places + branch
    if kind == "location_first":
        where = places + (parts.branch or parts.unit)
        return f"{where}的{short}" if where else short
    if kind == "bracket":
        opening, closing = rng.choice((("(", ")"), ("（", "）")))
        inside = places + branch
        return f"{short}{opening}{inside}{closing}" if inside else short
    if kind == "typo":
        return _with_homophone(short, places + branch, rng)
    if kind == "traditional":
        return _traditional(bank + places + branch)
    if kind == "no_city":
        return bank + branch if branch else name
    raise ValueError(f"unknown query kind {kind!r}; expected one of {[k for k, _ in QUERY_KINDS]}")


def short_bank_name(parts: NameParts, code: str, rng: random.Random) -> str:
    """A name clerks type for the bank: "工行", "南通农商行", "庆城信用社", "盛京银行"."""
    bank = banks_by_category().get(code[:3])
    if bank is not None and bank.name and parts.bank.startswith(bank.name):
        typed = [alias for alias in bank.short_names if not alias.isascii()]
        return rng.choice(typed) if typed else bank.name
    for long_form, short_forms in _RURAL_SHORT_FORMS:
        if parts.bank.endswith(long_form):
            place = parts.bank[: -len(long_form)]
            if len(place) > 3 and rng.random() < 0.5:
                place = place[2:]  # "江苏南通" is typed "南通"
            place = _ADMIN_SUFFIX.sub("", place) if len(place) > 2 else place
            return place + rng.choice(short_forms)
    return parts.bank or parts.name


def _with_homophone(prefix: str, text: str, rng: random.Random) -> str:
    """Replace one Chinese character of ``text`` with a common homophone, as pinyin input does."""
    positions = [index for index, char in enumerate(text) if homophones(char)]
    if not positions:
        return prefix + text
    index = rng.choice(positions)
    replacement = rng.choice(homophones(text[index]))
    return prefix + text[:index] + replacement + text[index + 1 :]


_S2T: opencc.OpenCC | None = None


def _traditional(text: str) -> str:
    global _S2T
    if _S2T is None:
        _S2T = opencc.OpenCC("s2t")
    return _S2T.convert(text)
