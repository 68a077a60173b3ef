"""Banks of the synthetic directory: the CNAPS bank categories and their legal names.

Digits 1-3 of a 联行号 are the bank category. Nationwide banks have one category
each; regional banks share one (313 city commercial banks, 314 rural commercial banks,
320 village banks, 402 rural credit cooperatives), and within those the legal name
names the home city or county. Regional issuers seen in the demo rows are reused as
they are written there; the generator makes up more in the same patterns.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

LEGAL_SUFFIX = "股份有限公司"


@dataclass(frozen=True)
class Issuer:
    """A bank as it is written at the start of its branches' official names."""

    category: str  # digits 1-3 of the code
    bank: str  # "中国工商银行", "江苏南通农村商业银行", "庆城县农村信用合作联社"
    legal_suffix: str  # "股份有限公司", "有限责任公司" or ""
    style: str  # one of STYLES: how branch names after the bank are built
    home: str = ""  # city code of a regional bank's home; "" for a nationwide bank


# national: every city, "{bank}{suffix}{city}{place}{unit}".
# joint_stock: prefecture-level cities only, same pattern.
# policy: one branch per city or county, "{bank}{city}市分行".
# regional: the home prefecture first, other cities of the province as 分行.
# rural: the home county only, towns as branch names, city usually left out.
# credit_union: the home county, "{county}农村信用合作联社{town}信用社".
# village: the home county, a head office and a few branches.
# foreign: the largest cities, "{bank}（中国）有限公司{city}分行".
STYLES = ("national", "joint_stock", "policy", "regional", "rural", "credit_union", "village", "foreign")

NATIONWIDE = (
    Issuer("102", "中国工商银行", LEGAL_SUFFIX, "national"),
    Issuer("103", "中国农业银行", LEGAL_SUFFIX, "national"),
    Issuer("104", "中国银行", LEGAL_SUFFIX, "national"),
    Issuer("105", "中国建设银行", LEGAL_SUFFIX, "national"),
    Issuer("403", "中国邮政储蓄银行", LEGAL_SUFFIX, "national"),
    Issuer("203", "中国农业发展银行", "", "policy"),
    Issuer("301", "交通银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("302", "中信银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("303", "中国光大银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("304", "华夏银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("305", "中国民生银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("306", "广发银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("307", "平安银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("308", "招商银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("309", "兴业银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("310", "上海浦东发展银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("315", "恒丰银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("316", "浙商银行", LEGAL_SUFFIX, "joint_stock"),
    Issuer("318", "渤海银行", LEGAL_SUFFIX, "joint_stock"),
    # Regional banks with a category of their own.
    Issuer("319", "徽商银行", LEGAL_SUFFIX, "regional", home="3610"),
    Issuer("317", "天津农村商业银行", LEGAL_SUFFIX, "regional", home="1100"),
    Issuer("322", "上海农村商业银行", LEGAL_SUFFIX, "regional", home="2900"),
    Issuer("325", "上海银行", LEGAL_SUFFIX, "regional", home="2900"),
    Issuer("321", "重庆三峡银行", LEGAL_SUFFIX, "regional", home="6530"),
)

FOREIGN = (
    Issuer("501", "汇丰银行（中国）", "有限公司", "foreign"),
    Issuer("502", "东亚银行（中国）", "有限公司", "foreign"),
    Issuer("531", "花旗银行（中国）", "有限公司", "foreign"),
    Issuer("593", "友利银行（中国）", "有限公司", "foreign"),
    Issuer("595", "新韩银行（中国）", "有限公司", "foreign"),
    Issuer("597", "韩亚银行（中国）", "有限公司", "foreign"),
    Issuer("621", "华侨永亨银行（中国）", "有限公司", "foreign"),
    Issuer("671", "渣打银行（中国）", "有限公司", "foreign"),
    Issuer("781", "厦门国际银行", LEGAL_SUFFIX, "foreign"),
    Issuer("787", "富邦华一银行", "有限公司", "foreign"),
)

# Share of the directory per category, in percent. Starts from the category counts of
# the 12,130 demo rows; the demo holds only a head-office row for most joint-stock
# banks, so those get the floor below instead, a rough estimate of their real size.
JOINT_STOCK_FLOOR_PERCENT = 0.8
SMALL_CATEGORY_PERCENT = {"317": 0.3, "321": 0.1, "322": 0.3, "325": 0.3, "401": 0.05}
FOREIGN_PERCENT = 0.04

VILLAGE_BRANDS = (
    "惠民",
    "国民",
    "长江",
    "浦发",
    "稠州",
    "泰隆",
    "民泰",
    "中银富登",
    "建信",
    "兴福",
    "鼎业",
    "深通",
    "包商惠丰",
    "沪农商",
    "华融湘江",
    "海口联合",
    "富滇",
    "融兴",
    "齐鲁",
    "汇通",
    "玉泉",
    "新华",
)

_REGIONAL_BANK = re.compile(
    r"^(?P<bank>.+?(?:农村商业银行|农商银行|农村合作银行|农村信用合作联社|农村信用联社|村镇银行"
    r"|城市信用社|银行))(?P<suffix>股份有限公司|有限责任公司|股份公司)?"
)


def category_weights(demo_codes: Iterable[str]) -> dict[str, float]:
    """Percent of generated rows per category, learned from demo codes with the floors above."""
    counts = Counter(code[:3] for code in demo_codes)
    total = sum(counts.values()) or 1
    weights: dict[str, float] = {}
    for issuer in NATIONWIDE:
        share = 100.0 * counts.get(issuer.category, 0) / total
        if issuer.style == "joint_stock":
            share = max(share, JOINT_STOCK_FLOOR_PERCENT)
        weights[issuer.category] = max(share, SMALL_CATEGORY_PERCENT.get(issuer.category, 0.0))
    for category in ("313", "314", "320", "402"):
        weights[category] = 100.0 * counts.get(category, 0) / total
    weights["401"] = SMALL_CATEGORY_PERCENT["401"]
    for issuer in FOREIGN:
        weights[issuer.category] = FOREIGN_PERCENT
    return weights


def learn_regional_issuers(demo_rows: Iterable[tuple[str, str]]) -> dict[str, list[Issuer]]:
    """Regional issuers written in demo rows, keyed by category, each with its commonest city.

    ``demo_rows`` are (cnaps_code, name) pairs. Only categories 313, 314, 320 and 402
    are read; the result is sorted by bank name so generation stays deterministic.
    """
    cities: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for code, name in demo_rows:
        category = code[:3]
        if category not in ("313", "314", "320", "402"):
            continue
        match = _REGIONAL_BANK.match(name)
        if match is None:
            continue
        key = (category, match["bank"], match["suffix"] or "")
        cities[key][code[3:7]] += 1
    issuers: dict[str, list[Issuer]] = defaultdict(list)
    for (category, bank, suffix), counter in sorted(cities.items()):
        style = {"313": "regional", "314": "rural", "320": "village"}.get(category, "rural")
        if bank.endswith(("信用合作联社", "信用联社")):
            style = "credit_union"
        home = counter.most_common(1)[0][0]
        issuers[category].append(Issuer(category, bank, suffix or _default_suffix(style), style, home))
    return dict(issuers)


def _default_suffix(style: str) -> str:
    return "" if style == "credit_union" else LEGAL_SUFFIX


def make_rural_issuer(
    category: str, province_short: str, county_short: str, county: str, kind: int
) -> Issuer:
    """A made-up rural bank for a county, in one of the three real naming patterns."""
    if kind == 0:
        return Issuer(category, f"{province_short}{county_short}农村商业银行", LEGAL_SUFFIX, "rural")
    if kind == 1:
        return Issuer(category, f"{county}农村合作银行", "", "rural")
    return Issuer(category, f"{county}农村信用合作联社", "", "credit_union")


def province_short_name(province: str) -> str:
    """ "江苏省" to "江苏", "广西壮族自治区" to "广西", "内蒙古自治区" to "内蒙古"."""
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市"):
        if province.endswith(suffix):
            return province[: -len(suffix)]
    return province
