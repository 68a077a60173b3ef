import pytest

from core.text.normalize import normalize, normalize_query, normalize_text, strip_legal_suffix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("晉城銀行新市東街支行", "晋城银行新市东街支行"),
        ("中国农业银行（凯里迎宾路支行）", "中国农业银行凯里迎宾路支行"),
        ("中国农业银行【凯里迎宾路支行】", "中国农业银行凯里迎宾路支行"),
        ("中国农业银行(凯里迎宾路支行)", "中国农业银行凯里迎宾路支行"),
        ("ＩＣＢＣ　工行 知春路", "icbc工行知春路"),
        ("工行，知春路。", "工行知春路"),
        ("东亚银行（中国）有限公司", "东亚银行中国有限公司"),
    ],
)
def test_normalize_forms(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("帮忙查一下工商银行阳东支行的行号是多少", "工商银行阳东支行"),
        ("请问浙江文成农商银行百丈漈支行的联行号", "浙江文成农商银行百丈漈支行"),
        ("查询工行上海市康城支行行号", "工行上海市康城支行"),
        ("查询中国银行石家庄市师范街支行的联行号", "中国银行石家庄市师范街支行"),
        ("建行大额行号", "建行"),
        ("中行支行号", "中行支行号"),
        ("查询", "查询"),
    ],
)
def test_asking_words_removed(text, expected):
    assert normalize_query(text).text == expected


def test_offsets_map_to_original():
    original = "请问 工商銀行（阳东支行）的联行号"
    normalized = normalize_query(original)
    assert normalized.text == "工商银行阳东支行"
    start, end = normalized.span_to_original(4, 8)
    assert original[start:end] == "阳东支行"
    start, end = normalized.span_to_original(0, 4)
    assert original[start:end] == "工商銀行"


def test_offsets_cover_every_character():
    normalized = normalize("Ａ 中（國）")
    assert normalized.text == "a中国"
    assert normalized.offsets == (0, 2, 4)


def test_strip_legal_suffix():
    assert strip_legal_suffix("中国工商银行股份有限公司北京新华支行") == "中国工商银行北京新华支行"
    assert strip_legal_suffix("化德包商村镇银行有限责任公司") == "化德包商村镇银行"
