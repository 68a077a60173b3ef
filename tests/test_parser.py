import csv

import pytest

from core.names.gazetteer import default_gazetteer, place_forms
from core.names.parser import parse_official_name
from core.paths import PACKAGE_DATA

# name -> (bank, legal_suffix, locations, branch, unit)
CASES = {
    # big five, 支行 / 分行营业部 / 支行营业部
    "中国工商银行股份有限公司北京新华支行": ("中国工商银行", "股份有限公司", ("北京",), "新华", "支行"),
    "中国工商银行股份有限公司北京市分行营业部": (
        "中国工商银行",
        "股份有限公司",
        ("北京市",),
        "",
        "分行营业部",
    ),
    "中国建设银行股份有限公司郑州金水支行营业部": (
        "中国建设银行",
        "股份有限公司",
        ("郑州",),
        "金水",
        "支行营业部",
    ),
    "中国农业银行股份有限公司苍溪县支行": ("中国农业银行", "股份有限公司", ("苍溪县",), "", "支行"),
    "中国农业银行股份有限公司资中龙江支行": ("中国农业银行", "股份有限公司", ("资中",), "龙江", "支行"),
    "中国银行股份有限公司北京路支行": ("中国银行", "股份有限公司", (), "北京路", "支行"),
    "交通银行南宁科园支行": ("交通银行", "", ("南宁",), "科园", "支行"),
    # postal, policy bank, chained locations
    "中国邮政储蓄银行辽宁省丹东市分行直属支行（不对外营业）": (
        "中国邮政储蓄银行",
        "",
        ("辽宁省", "丹东市"),
        "分行直属",
        "支行",
    ),
    "中国农业发展银行扬州市邗江区支行": ("中国农业发展银行", "", ("扬州市", "邗江区"), "", "支行"),
    # joint-stock
    "华夏银行股份有限公司江油西山支行": ("华夏银行", "股份有限公司", ("江油",), "西山", "支行"),
    "上海浦东发展银行股份有限公司杭州分行(不对外)": (
        "上海浦东发展银行",
        "股份有限公司",
        ("杭州",),
        "",
        "分行",
    ),
    # city commercial, rural commercial, rural credit cooperative
    "晋商银行股份有限公司太原水西门支行": ("晋商银行", "股份有限公司", ("太原",), "水西门", "支行"),
    "哈密市商业银行乌鲁木齐友好南路支行": ("哈密市商业银行", "", ("乌鲁木齐",), "友好南路", "支行"),
    "江苏南通农村商业银行股份有限公司八厂支行": ("江苏南通农村商业银行", "股份有限公司", (), "八厂", "支行"),
    "辽宁农村商业银行股份有限公司海城华发分理处": (
        "辽宁农村商业银行",
        "股份有限公司",
        ("海城",),
        "华发",
        "分理处",
    ),
    "庆城县农村信用合作联社蔡口集信用社": ("庆城县农村信用合作联社", "", (), "蔡口集", "信用社"),
    "临汾市尧都区农村信用社": ("临汾市尧都区农村信用社", "", (), "", ""),
    "山东省农联社": ("山东省农联社", "", (), "", ""),
    # village bank, foreign bank, urban credit cooperative
    "湘西长行村镇银行股份有限公司经开区支行": ("湘西长行村镇银行", "股份有限公司", (), "经开区", "支行"),
    "东亚银行（中国）有限公司": ("东亚银行", "（中国）有限公司", (), "", ""),
    "渣打银行上海分行": ("渣打银行", "", ("上海",), "", "分行"),
    "本溪市城市信用社": ("本溪市城市信用社", "", (), "", ""),
}

UNIT_CASES = {
    "中国工商银行股份有限公司上海市分行营业部": "分行营业部",
    "中国银行股份有限公司北京分行": "分行",
    "中国农业银行股份有限公司北京朝阳营业部": "营业部",
    "中国工商银行北京市西单分理处": "分理处",
    "中国农业银行南京市新街口营业所": "营业所",
    "中国工商银行深圳市分行营业室": "营业室",
    "中国建设银行上海市淮海路储蓄所": "储蓄所",
    "中国银行北京驻京办事处": "办事处",
    "新河县农村信用合作联社马圈信用社": "信用社",
    "庆阳市西峰区农村信用合作联社温泉信用分社": "信用分社",
    "阳信县农村信用合作联社城关分社": "分社",
    "河北省农村信用社联合社沧州联社": "联社",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_parse_official_name(name):
    parts = parse_official_name(name)
    assert (parts.bank, parts.legal_suffix, parts.locations, parts.branch, parts.unit) == CASES[name]


@pytest.mark.parametrize("name", sorted(UNIT_CASES))
def test_parse_unit_types(name):
    assert parse_official_name(name).unit == UNIT_CASES[name]


def test_spans_index_name():
    parts = parse_official_name("中国工商银行股份有限公司北京新华支行")
    assert [(span.label, span.start, span.end, span.text) for span in parts.spans] == [
        ("BANK", 0, 12, "中国工商银行股份有限公司"),
        ("LOC", 12, 14, "北京"),
        ("BRANCH", 14, 18, "新华支行"),
    ]


def test_spans_of_every_demo_name():
    """Spans match their text, do not overlap and come in order, on all demo rows."""
    with open(PACKAGE_DATA / "demo_branches.csv", encoding="utf-8", newline="") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    for name in names:
        parts = parse_official_name(name)
        assert parts.bank, name
        previous_end = 0
        for span in parts.spans:
            assert name[span.start : span.end] == span.text, name
            assert span.start >= previous_end, name
            previous_end = span.end


def test_spans_branch_named_after_place():
    parts = parse_official_name("中国农业发展银行扬州市邗江区支行")
    assert [(span.label, span.text) for span in parts.spans] == [
        ("BANK", "中国农业发展银行"),
        ("LOC", "扬州市"),
        ("BRANCH", "邗江区支行"),
    ]
    # The index still reads both places.
    assert parts.locations == ("扬州市", "邗江区")
    assert parts.branch == ""


def test_remark_not_in_branch():
    parts = parse_official_name("中国建设银行股份有限公司长沙天心支行（不对外）")
    assert parts.spans[-1].text == "天心支行"


def test_place_forms():
    assert place_forms("唐山市") == ["唐山市", "唐山"]
    assert place_forms("石家庄") == ["石家庄", "石家庄市"]
    assert place_forms("广西壮族自治区") == ["广西壮族自治区", "广西"]
    assert place_forms("海西蒙古族藏族自治州") == ["海西蒙古族藏族自治州", "海西"]
    assert place_forms("沛县") == ["沛县"]


def test_gazetteer_knows_counties_and_districts():
    gazetteer = default_gazetteer()
    assert gazetteer.level("江油") == "county"
    assert gazetteer.level("唐山") == "city"
    assert gazetteer.level("河北") == "province"
    assert gazetteer.level("邗江区") == "county"
    assert gazetteer.level("经开区") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("江油西山的华夏银行", [("LOC", "江油"), ("BRANCH", "西山"), ("BANK", "华夏银行")]),
        ("灵宝车站路的河南农商行", [("LOC", "灵宝"), ("BRANCH", "车站路"), ("BANK", "河南农商行")]),
        (
            "中国工商银行股份有限公司北京新华支行",
            [("BANK", "中国工商银行股份有限公司"), ("LOC", "北京"), ("BRANCH", "新华支行")],
        ),
        (
            "工行北京市海淀区新华支行",
            [("BANK", "工行"), ("LOC", "北京市"), ("LOC", "海淀区"), ("BRANCH", "新华支行")],
        ),
        ("平安路的工行", [("BRANCH", "平安路"), ("BANK", "工行")]),
        ("民生银行北京民生路支行", [("BANK", "民生银行"), ("LOC", "北京"), ("BRANCH", "民生路支行")]),
        ("新华支行", [("BRANCH", "新华支行")]),
    ],
)
def test_rule_extractor_spans(query, expected):
    from core.names.extractor import RuleExtractor

    entities = RuleExtractor().extract(query)
    assert [(entity.label, entity.text) for entity in entities] == expected
    assert all(query[entity.start : entity.end] == entity.text for entity in entities)


# name, province of the branch's city code -> (locations, branch)
CONTEXT_CASES = {
    # 福海 is a county of Xinjiang and 永安 a city of Fujian: neither fits the bank's place.
    ("深圳农村商业银行股份有限公司福海支行", ""): ((), "福海"),
    ("常德农村商业银行股份有限公司永安支行", ""): ((), "永安"),
    ("永安支行", "湖南省"): ((), "永安"),
    ("永安支行", "福建省"): (("永安",), ""),
    # A city commercial bank names its home city but has branches elsewhere.
    ("北京银行股份有限公司南京分行", ""): (("南京",), ""),
    # A place followed by a number and a road word starts a road name.
    ("中国建设银行股份有限公司梧州新兴三路支行", ""): (("梧州",), "新兴三路"),
    ("新兴三路支行", "广西壮族自治区"): ((), "新兴三路"),
    # A county written without suffix before a bare unit type is the branch's name.
    ("中国工商银行股份有限公司连山支行", "广东省"): ((), "连山"),
    ("湖南华容农村商业银行股份有限公司东山支行", ""): ((), "东山"),
    ("浙江瑞安农村商业银行股份有限公司东山支行北麂分理处", ""): ((), "东山支行北麂"),
    ("中国农业银行股份有限公司苍溪县支行", ""): (("苍溪县",), ""),
}


@pytest.mark.parametrize(("name", "province"), sorted(CONTEXT_CASES))
def test_parse_places_fit_context(name, province):
    parts = parse_official_name(name, province=province)
    locations, branch = CONTEXT_CASES[(name, province)]
    assert parts.locations == locations
    assert parts.branch == branch


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("深圳福海支行", [("LOC", "深圳"), ("BRANCH", "福海支行")]),
        ("常德农商行永安支行", [("BANK", "常德农商行"), ("BRANCH", "永安支行")]),
        ("梧州新兴三路", [("LOC", "梧州"), ("BRANCH", "新兴三路")]),
        ("连山支行", [("BRANCH", "连山支行")]),
        ("东山支行", [("BRANCH", "东山支行")]),
        # A unit type right after a place: the branch is named after the place.
        ("工行苍溪县支行", [("BANK", "工行"), ("BRANCH", "苍溪县支行")]),
        ("北京银行南京分行", [("BANK", "北京银行"), ("BRANCH", "南京分行")]),
        ("工行北京市海淀区支行", [("BANK", "工行"), ("LOC", "北京市"), ("BRANCH", "海淀区支行")]),
    ],
)
def test_rule_extractor_place_context(query, expected):
    from core.names.extractor import RuleExtractor

    entities = RuleExtractor().extract(query)
    assert [(entity.label, entity.text) for entity in entities] == expected


def test_shipped_district_read_as_place():
    parts = parse_official_name("青岛农村商业银行城阳西城支行", province="山东省")
    assert parts.locations == ("城阳",)
    assert parts.branch == "西城"
    assert [place.province for place in default_gazetteer().places("城阳")] == ["山东省"]
