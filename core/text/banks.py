"""The banks of the national payment directory and the names people use for them.

Digits 1-3 of a 联行号 are the bank category. Most categories are one bank (102 is
中国工商银行). A few are a kind of institution with many legal entities: 313 city
commercial banks, 314 rural commercial banks, 320 village banks, 323 private banks,
401 urban credit cooperatives and 402 rural credit cooperatives (which also hold
provincial rural commercial banks). For those the bank is named inside each branch
name ("江苏南通农村商业银行"), and the lookup engine reads it from there.

Sources: the category list of the People's Bank of China CNAPS directory as
republished in public bank-code lists, checked against the 12,130 demo rows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

# Bank kinds, used by the parser and by the per-kind evaluation.
POLICY = "policy"
BIG_FIVE = "big_five"
POSTAL = "postal"
JOINT_STOCK = "joint_stock"
CITY_COMMERCIAL = "city_commercial"
RURAL_COMMERCIAL = "rural_commercial"
RURAL_COOPERATIVE = "rural_cooperative"
VILLAGE = "village"
PRIVATE = "private"
URBAN_COOPERATIVE = "urban_cooperative"
FOREIGN = "foreign"


@dataclass(frozen=True)
class Bank:
    """One bank category of the directory.

    ``name`` is the bank as written in official names; it is empty for categories
    that hold many legal entities. ``short_names`` are what clerks type, and
    ``former_names`` are names the bank used before (they map to the current bank).
    """

    category: str
    name: str
    kind: str
    short_names: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()


BANKS: tuple[Bank, ...] = (
    Bank("001", "中国人民银行", POLICY, ("人民银行", "人行", "央行")),
    Bank("201", "国家开发银行", POLICY, ("国开行", "国开银行", "开发银行")),
    Bank("202", "中国进出口银行", POLICY, ("进出口银行", "口行")),
    Bank("203", "中国农业发展银行", POLICY, ("农业发展银行", "农发行", "农发银行")),
    Bank("102", "中国工商银行", BIG_FIVE, ("工商银行", "工行", "工银", "icbc")),
    Bank("103", "中国农业银行", BIG_FIVE, ("农业银行", "农行", "abc")),
    Bank("104", "中国银行", BIG_FIVE, ("中行", "中银", "boc")),
    Bank("105", "中国建设银行", BIG_FIVE, ("建设银行", "建行", "ccb")),
    Bank("301", "交通银行", BIG_FIVE, ("交行", "交银", "bocom")),
    Bank(
        "403",
        "中国邮政储蓄银行",
        POSTAL,
        ("邮政储蓄银行", "邮储银行", "邮政银行", "邮储", "邮政储蓄", "邮政", "邮局", "psbc"),
    ),
    Bank("302", "中信银行", JOINT_STOCK, ("中信",), ("中信实业银行",)),
    Bank("303", "中国光大银行", JOINT_STOCK, ("光大银行", "光大")),
    Bank("304", "华夏银行", JOINT_STOCK, ("华夏",)),
    Bank("305", "中国民生银行", JOINT_STOCK, ("民生银行", "民生")),
    Bank("306", "广发银行", JOINT_STOCK, ("广发",), ("广东发展银行",)),
    Bank("307", "平安银行", JOINT_STOCK, ("平安",), ("深圳发展银行", "深发展", "深发行")),
    Bank("308", "招商银行", JOINT_STOCK, ("招行", "招商", "cmb")),
    Bank("309", "兴业银行", JOINT_STOCK, ("兴业",), ("福建兴业银行",)),
    Bank("310", "上海浦东发展银行", JOINT_STOCK, ("浦东发展银行", "浦发银行", "浦发", "spdb")),
    Bank("315", "恒丰银行", JOINT_STOCK, ("恒丰",), ("烟台住房储蓄银行",)),
    Bank("316", "浙商银行", JOINT_STOCK, ("浙商",)),
    Bank("317", "天津农村商业银行", RURAL_COMMERCIAL, ("天津农商银行", "天津农商行")),
    Bank("318", "渤海银行", JOINT_STOCK, ("渤海",)),
    Bank("319", "徽商银行", JOINT_STOCK, ("徽商",)),
    Bank("321", "重庆三峡银行", CITY_COMMERCIAL, ("三峡银行",)),
    Bank("322", "上海农商银行", RURAL_COMMERCIAL, ("上海农村商业银行", "上海农商行")),
    Bank("325", "上海银行", CITY_COMMERCIAL, ()),
    Bank("313", "", CITY_COMMERCIAL, ("城商行", "城市商业银行", "商业银行")),
    Bank("314", "", RURAL_COMMERCIAL, ("农商行", "农商银行", "农村商业银行", "农村合作银行")),
    Bank("320", "", VILLAGE, ("村镇银行",)),
    Bank("323", "", PRIVATE, ("民营银行",)),
    Bank("401", "", URBAN_COOPERATIVE, ("城市信用社", "城信社")),
    Bank(
        "402",
        "",
        RURAL_COOPERATIVE,
        (
            "农村信用合作联社",
            "农村信用联社",
            "信用合作联社",
            "农村信用社",
            "信用社",
            "农信社",
            "农联社",
            "联社",
            "农信",
        ),
    ),
    # Foreign and joint-venture banks with their own category.
    Bank("501", "汇丰银行", FOREIGN, ("汇丰", "hsbc")),
    Bank("502", "东亚银行", FOREIGN, ("东亚",)),
    Bank("503", "南洋商业银行", FOREIGN, ("南商", "南洋商业")),
    Bank("504", "恒生银行", FOREIGN, ("恒生",)),
    Bank("506", "集友银行", FOREIGN, ("集友",)),
    Bank("507", "创兴银行", FOREIGN, ("创兴",)),
    Bank("509", "星展银行", FOREIGN, ("星展", "dbs")),
    Bank("510", "永亨银行", FOREIGN, ("永亨",)),
    Bank("512", "永隆银行", FOREIGN, ("永隆",)),
    Bank("531", "花旗银行", FOREIGN, ("花旗", "citi")),
    Bank("532", "美国银行", FOREIGN, ()),
    Bank("533", "摩根大通银行", FOREIGN, ("摩根大通",)),
    Bank("561", "三菱日联银行", FOREIGN, ("三菱东京日联银行", "三菱日联")),
    Bank("563", "瑞穗银行", FOREIGN, ("瑞穗",)),
    Bank("564", "三井住友银行", FOREIGN, ("三井住友",)),
    Bank("593", "友利银行", FOREIGN, ("友利",)),
    Bank("594", "韩国产业银行", FOREIGN, ()),
    Bank("595", "新韩银行", FOREIGN, ("新韩",)),
    Bank("596", "企业银行", FOREIGN, ("韩国企业银行",)),
    Bank("597", "韩亚银行", FOREIGN, ("韩亚",)),
    Bank("621", "华侨永亨银行", FOREIGN, ("华侨银行", "华侨永亨")),
    Bank("622", "大华银行", FOREIGN, ("大华",)),
    Bank("631", "盘谷银行", FOREIGN, ("盘谷",)),
    Bank("671", "渣打银行", FOREIGN, ("渣打",)),
    Bank("712", "德意志银行", FOREIGN, ("德意志",)),
    Bank("717", "中德住房储蓄银行", FOREIGN, ("中德银行", "中德住房储蓄")),
    Bank("781", "厦门国际银行", FOREIGN, ("厦门国际",)),
    Bank("782", "法国巴黎银行", FOREIGN, ("巴黎银行",)),
    Bank("785", "华商银行", FOREIGN, ()),
    Bank("787", "富邦华一银行", FOREIGN, ("富邦华一",)),
)

# NOTE: foreign categories outside the demo data are taken from public lists and
# were not checked against real rows.

# Words that end the bank part of an official name, for categories whose rows name
# many legal entities. Longest first, so "农村商业银行" wins over "银行".
ENTITY_TYPE_WORDS: tuple[str, ...] = (
    "农村信用合作联社",
    "农村信用合作社",
    "信用合作联社",
    "农村商业银行",
    "农村合作银行",
    "农村信用联社",
    "城市信用社",
    "农村信用社",
    "村镇银行",
    "商业银行",
    "农商银行",
    "农联社",
    "信用社",
    "联社",
    "银行",
)

# Generic words a clerk writes instead of a bank's own name, mapped to the kinds of
# bank they can mean.
GENERIC_BANK_WORDS: dict[str, tuple[str, ...]] = {
    "农商行": (RURAL_COMMERCIAL, RURAL_COOPERATIVE),
    "农商银行": (RURAL_COMMERCIAL, RURAL_COOPERATIVE),
    "农村商业银行": (RURAL_COMMERCIAL, RURAL_COOPERATIVE),
    "农村合作银行": (RURAL_COMMERCIAL, RURAL_COOPERATIVE),
    "农合行": (RURAL_COMMERCIAL, RURAL_COOPERATIVE),
    "农信社": (RURAL_COOPERATIVE, RURAL_COMMERCIAL),
    "农信": (RURAL_COOPERATIVE, RURAL_COMMERCIAL),
    "农联社": (RURAL_COOPERATIVE,),
    "联社": (RURAL_COOPERATIVE,),
    "信用社": (RURAL_COOPERATIVE, URBAN_COOPERATIVE),
    "信用联社": (RURAL_COOPERATIVE,),
    "信用合作联社": (RURAL_COOPERATIVE,),
    "农村信用社": (RURAL_COOPERATIVE,),
    "农村信用联社": (RURAL_COOPERATIVE,),
    "农村信用合作联社": (RURAL_COOPERATIVE,),
    "城市信用社": (URBAN_COOPERATIVE,),
    "村镇银行": (VILLAGE,),
    "商业银行": (CITY_COMMERCIAL, RURAL_COMMERCIAL),
    "城商行": (CITY_COMMERCIAL,),
}

# Synonyms inside entity names: a clerk's "农商银行" is the directory's "农村商业银行".
ENTITY_WORD_VARIANTS: dict[str, str] = {
    "农商银行": "农村商业银行",
    "农商行": "农村商业银行",
    "农合行": "农村合作银行",
    "信用联社": "信用合作联社",
    "农信社": "农村信用社",
    "农联社": "农村信用联社",
}


@functools.cache
def banks_by_category() -> dict[str, Bank]:
    return {bank.category: bank for bank in BANKS}


def bank_for_code(cnaps_code: str) -> Bank | None:
    """Return the bank category of a 联行号 (its first three digits), or None."""
    return banks_by_category().get(cnaps_code[:3])


def bank_kind(category: str) -> str:
    """Return the kind of bank of a category; unknown 5xx-7xx categories are foreign."""
    bank = banks_by_category().get(category)
    if bank is not None:
        return bank.kind
    return FOREIGN if category[:1] in "567" else JOINT_STOCK


@functools.cache
def single_bank_aliases() -> dict[str, str]:
    """Map every name of a one-bank category (full, short, former) to its category.

    A name shared by two categories maps to the first one listed; the engine
    searches all of them through ``categories_for_alias``.
    """
    aliases: dict[str, str] = {}
    for bank in BANKS:
        if not bank.name:
            continue
        for alias in (bank.name, *bank.short_names, *bank.former_names):
            aliases.setdefault(alias, bank.category)
    return aliases


@functools.cache
def categories_for_alias(alias: str) -> tuple[str, ...]:
    """Return every one-bank category whose names include ``alias``."""
    return tuple(
        bank.category
        for bank in BANKS
        if bank.name and alias in (bank.name, *bank.short_names, *bank.former_names)
    )


@functools.cache
def categories_of_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Return the multi-entity categories (313, 314, 402, ...) of the given kinds."""
    return tuple(bank.category for bank in BANKS if not bank.name and bank.kind in kinds)
