"""Columns of ``branches`` derived from the code and the name.

A 联行号 is laid out as: digits 1-3 the bank category (102 = 中国工商银行),
digits 4-7 the city code from the payment system's city table, digits 8-11 the
branch serial and digit 12 the MOD 11,10 check digit.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from core.paths import PACKAGE_DATA

CITY_CODES_CSV = PACKAGE_DATA / "cnaps_city_codes.csv"

# The earliest legal-entity suffix ends the legal name: 股份有限公司 is tried before
# its tail 有限公司 at the same position because alternation is ordered.
_LEGAL_SUFFIX = re.compile(r"^.*?(?:股份有限公司|有限责任公司|有限公司)")
# Without a suffix, the bank is the text up to the first 银行, or up to 联社 for
# rural credit unions ("江油市农村信用合作联社西山信用社").
_BANK_END = re.compile(r"^.*?(?:银行|联合社|联社)")


def bank_category(code: str) -> str:
    return code[:3]


def city_code(code: str) -> str:
    return code[3:7]


def legal_name(name: str) -> str:
    """Return the legal bank entity in an official branch name, or "" when none is found.

    "中国工商银行股份有限公司北京新华支行" -> "中国工商银行股份有限公司";
    "华夏银行江油西山支行" -> "华夏银行".
    """
    match = _LEGAL_SUFFIX.match(name) or _BANK_END.match(name)
    return match.group(0) if match else ""


def load_city_rows(path: Path = CITY_CODES_CSV) -> list[tuple[str, str, str, str]]:
    """Read the shipped city table as (city_code, city_name, province_name, province_code) rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["city_code"], row["city_name"], row["province_name"], row["province_code"])
            for row in csv.DictReader(handle)
        ]
