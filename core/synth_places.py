"""Place and branch-name vocabulary for the synthetic directory generator.

A branch's own name ("人民路", "城关", "太白梁") comes from the word lists below,
composed the way real names are, or from place words harvested from the shipped
demo rows. The lists are shared by every city on purpose: a national directory has
"人民路支行" in hundreds of cities, and a matcher must cope with those near-duplicates.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Iterable

from core.names.parts import UNIT_TYPES

# Stems of the commonest Chinese street names.
ROAD_STEMS = (
    "人民",
    "解放",
    "建设",
    "中山",
    "新华",
    "胜利",
    "和平",
    "文化",
    "朝阳",
    "长江",
    "黄河",
    "光明",
    "团结",
    "迎宾",
    "工业",
    "滨江",
    "青年",
    "健康",
    "幸福",
    "民主",
    "友谊",
    "东风",
    "红旗",
    "新建",
    "振兴",
    "复兴",
    "建国",
    "建华",
    "育才",
    "学府",
    "府前",
    "车站",
    "站前",
    "南京",
    "北京",
    "上海",
    "湖滨",
    "滨河",
    "沿江",
    "环城",
    "金山",
    "银河",
    "东方",
    "世纪",
    "花园",
    "富民",
    "兴业",
    "南湖",
    "西湖",
    "东湖",
    "凤凰",
    "龙泉",
    "春风",
    "五一",
    "八一",
    "新民",
    "交通",
    "劳动",
    "公园",
    "体育",
    "市府",
    "商业",
    "太平",
    "长安",
    "永安",
    "新安",
    "平安",
    "新村",
    "黄山",
    "泰山",
    "华山",
    "庐山",
    "天山",
    "昆仑",
    "珠江",
    "淮河",
    "汉江",
    "湘江",
    "钱塘",
    "龙江",
    "松江",
    "金沙",
    "翠湖",
    "锦绣",
)
# (suffix, weight): plain 路 dominates, directional variants make the near-duplicates.
ROAD_SUFFIXES = (
    ("路", 40),
    ("大街", 12),
    ("大道", 9),
    ("街", 8),
    ("东路", 6),
    ("西路", 6),
    ("南路", 6),
    ("北路", 6),
    ("中路", 5),
    ("东街", 3),
    ("西街", 3),
    ("南大街", 2),
    ("北大街", 2),
    ("巷", 1),
)
LANDMARKS = (
    "火车站",
    "汽车站",
    "客运站",
    "广场",
    "商城",
    "大厦",
    "国际大厦",
    "财富中心",
    "金融中心",
    "体育馆",
    "人民医院",
    "中心医院",
    "大学城",
    "步行街",
    "万达广场",
    "商贸城",
    "物流园",
    "农贸市场",
    "国际商贸城",
    "会展中心",
    "世纪广场",
    "时代广场",
    "新天地",
    "科技园",
    "软件园",
    "市民中心",
    "政务中心",
    "机场",
    "港口",
    "小商品市场",
    "工业园",
    "花园",
    "新村",
    "小区",
)
DISTRICTS = (
    "城区",
    "城东",
    "城西",
    "城南",
    "城北",
    "城中",
    "城关",
    "新区",
    "新城",
    "老城",
    "开发区",
    "经济开发区",
    "经济技术开发区",
    "高新区",
    "高新技术产业开发区",
    "工业园区",
    "保税区",
    "港区",
    "临港",
    "滨海新区",
    "南区",
    "北区",
    "东区",
    "西区",
    "中心区",
    "科技城",
)
# Syllables of rural town and village names: "石桥", "马家营", "黄龙".
TOWN_FIRST = (
    "大",
    "小",
    "新",
    "老",
    "东",
    "西",
    "南",
    "北",
    "上",
    "下",
    "石",
    "马",
    "龙",
    "黄",
    "白",
    "高",
    "杨",
    "李",
    "王",
    "张",
    "刘",
    "陈",
    "金",
    "青",
    "红",
    "双",
    "三",
    "五",
    "八",
    "太",
    "长",
    "永",
    "清",
    "古",
    "桃",
    "柳",
    "松",
    "杏",
    "梅",
    "沙",
    "泉",
    "河",
    "平",
    "官",
    "孙",
    "赵",
    "周",
    "吴",
)
TOWN_MIDDLE = ("家", "庄", "王", "水", "山", "河", "林", "花", "石", "龙", "", "", "", "", "", "")
TOWN_LAST = (
    "河",
    "桥",
    "庄",
    "店",
    "集",
    "口",
    "堡",
    "屯",
    "湾",
    "坪",
    "沟",
    "岭",
    "山",
    "林",
    "营",
    "寨",
    "铺",
    "坝",
    "塘",
    "头",
    "关",
    "阳",
    "安",
    "平",
    "宁",
    "丰",
    "兴",
    "城",
    "港",
    "埠",
    "岗",
    "埔",
    "园",
    "洲",
    "田",
    "坡",
    "溪",
    "泉",
    "滩",
    "村",
    "台",
    "场",
)
TOWN_SUFFIXES = (("", 6), ("镇", 3), ("乡", 1))
ORDINALS = ("第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十")

_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
# A bank's legal prefix at the start of an official name; what follows is place and branch.
_LEGAL_PREFIX = re.compile(
    r"^.*?(?:银行|信用合作联社|信用联社|城市信用社)(?:（中国）)?"
    r"(?:股份有限公司|有限责任公司|股份公司|有限公司)?"
)
# Leftovers that are not a branch's place word: a second unit, a province, a whole county.
_NOT_A_PLACE_WORD = re.compile(r"支行|分行|公司|省|^市|[市县]$")
_UNITS_LONGEST_FIRST = sorted(UNIT_TYPES, key=len, reverse=True)


def weighted_choice(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return rng.choices(values, weights)[0]


def road_name(rng: random.Random) -> str:
    return rng.choice(ROAD_STEMS) + weighted_choice(rng, ROAD_SUFFIXES)


def town_name(rng: random.Random, with_suffix: bool = True) -> str:
    stem = rng.choice(TOWN_FIRST) + rng.choice(TOWN_MIDDLE) + rng.choice(TOWN_LAST)
    if not with_suffix:
        return stem
    return stem + weighted_choice(rng, TOWN_SUFFIXES)


def landmark_name(rng: random.Random) -> str:
    landmark = rng.choice(LANDMARKS)
    # "人民广场", "建设大厦": most landmarks carry a stem, a few stand alone.
    if rng.random() < 0.6:
        return rng.choice(ROAD_STEMS) + landmark
    return landmark


def harvest_place_words(names: Iterable[str], city_names: Iterable[str]) -> list[str]:
    """Extract branch place words from official names: "…北京新华支行" gives "新华".

    The bank's legal prefix, a leading city name and the unit type are removed. The rest
    is kept when it is two to six Chinese characters. The result is sorted so that the
    generator stays deterministic for a seed.
    """
    cities = {form for name in city_names for form in city_forms(name)}
    longest_city = max(map(len, cities), default=0)
    words: set[str] = set()
    for name in names:
        match = _LEGAL_PREFIX.match(name)
        if match is None:
            continue
        rest = name[match.end() :]
        unit = next((unit for unit in _UNITS_LONGEST_FIRST if rest.endswith(unit)), None)
        if unit is None:
            continue
        rest = rest[: -len(unit)]
        for length in range(min(longest_city, len(rest)), 1, -1):
            if rest[:length] in cities:
                rest = rest[length:]
                break
        if 2 <= len(rest) <= 6 and _CJK_ONLY.match(rest) and not _NOT_A_PLACE_WORD.search(rest):
            words.add(rest)
    return sorted(words)


def city_forms(city_name: str) -> tuple[str, ...]:
    """Return the written forms of a city table name: "唐山市" gives ("唐山市", "唐山")."""
    short = short_city_name(city_name)
    return (city_name, short) if short != city_name else (city_name,)


@functools.cache
def short_city_name(city_name: str) -> str:
    """Drop the administrative suffix as branch names do: "唐山市" to "唐山", "滦县" stays."""
    for suffix in ("特别行政区", "自治州", "自治县", "自治旗", "地区", "市", "县", "区", "盟"):
        if city_name.endswith(suffix) and len(city_name) - len(suffix) >= 2:
            stem = city_name[: -len(suffix)]
            stem = _strip_ethnic_names(stem)
            return stem if len(stem) >= 2 else city_name
    return city_name


_ETHNIC_NAMES = (
    "各族",
    "满族",
    "蒙古族",
    "回族",
    "藏族",
    "壮族",
    "苗族",
    "彝族",
    "土家族",
    "侗族",
    "瑶族",
    "白族",
    "哈尼族",
    "傣族",
    "黎族",
    "羌族",
    "布依族",
    "水族",
    "仡佬族",
    "朝鲜族",
    "哈萨克族",
    "土族",
    "撒拉族",
    "畲族",
    "纳西族",
    "傈僳族",
    "拉祜族",
    "佤族",
    "景颇族",
    "独龙族",
    "怒族",
    "普米族",
    "阿昌族",
    "德昂族",
    "布朗族",
    "达斡尔族",
    "锡伯族",
    "保安族",
    "东乡族",
    "裕固族",
    "仫佬族",
    "毛南族",
    "京族",
)


def _strip_ethnic_names(stem: str) -> str:
    """Remove trailing ethnic names of an autonomous area: "围场满族蒙古族" to "围场"."""
    stripped = True
    while stripped:
        stripped = False
        for ethnic in _ETHNIC_NAMES:
            if stem.endswith(ethnic) and len(stem) - len(ethnic) >= 2:
                stem = stem[: -len(ethnic)]
                stripped = True
    return stem
