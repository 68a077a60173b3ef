"""The LLM output filter: variants are kept only when they name the branch and nothing else."""

from __future__ import annotations

import pytest

from core.augment.align import (
    REJECT_NO_BRANCH,
    REJECT_OFFICIAL,
    REJECT_OTHER_BANK,
    REJECT_OTHER_PLACE,
    REJECT_REPEATED,
    REJECT_TOO_LONG,
    REJECT_UNALIGNED,
    VariantAligner,
)
from core.augment.generate import BranchRecord, known_names
from core.augment.profile import ProfileBuilder
from core.augment.prompts import PromptFields, load_prompts, parse_variants
from core.names.gazetteer import Gazetteer, read_city_table, read_demo_names

HUAXIA = BranchRecord(
    "304659000016", "华夏银行股份有限公司江油西山支行", "江油市", "四川省", "华夏银行股份有限公司"
)
ICBC = BranchRecord(
    "102100000021", "中国工商银行股份有限公司北京新华支行", "北京市", "北京市", "中国工商银行股份有限公司"
)


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.build(read_city_table(), read_demo_names())


@pytest.fixture(scope="module")
def aligner(gazetteer):
    return VariantAligner(known_names(gazetteer, [HUAXIA, ICBC]))


@pytest.fixture(scope="module")
def huaxia(gazetteer):
    return ProfileBuilder(gazetteer).build(
        HUAXIA.cnaps_code, HUAXIA.name, HUAXIA.city_name, HUAXIA.province_name
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("江油西山的华夏银行", [("LOC", "江油"), ("BRANCH", "西山"), ("BANK", "华夏银行")]),
        ("西山那个华夏", [("BRANCH", "西山"), ("BANK", "华夏")]),
        ("华夏银行(江油西山支行)", [("BANK", "华夏银行"), ("LOC", "江油"), ("BRANCH", "西山支行")]),
        ("江油市华夏西山", [("LOC", "江油市"), ("BANK", "华夏"), ("BRANCH", "西山")]),
        ("西山支行", [("BRANCH", "西山支行")]),
        ("四川华夏银行西山支行", [("LOC", "四川"), ("BANK", "华夏银行"), ("BRANCH", "西山支行")]),
    ],
)
def test_aligned_variant_labelled(aligner, huaxia, text, expected):
    alignment = aligner.align(text, huaxia.forms())
    assert alignment.accepted, alignment.reason
    assert [(label["label"], label["text"]) for label in alignment.labels] == expected
    for label in alignment.labels:
        assert text[label["start"] : label["end"]] == label["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("农行江油支行", [("BANK", "农行"), ("BRANCH", "江油支行")]),
        ("江油的农行支行", [("LOC", "江油"), ("BANK", "农行"), ("BRANCH", "支行")]),
    ],
)
def test_branch_named_after_place_labelled(gazetteer, text, expected):
    record = BranchRecord(
        "103659724819", "中国农业银行股份有限公司江油市支行", "江油市", "四川省", "中国农业银行股份有限公司"
    )
    profile = ProfileBuilder(gazetteer).build(
        record.cnaps_code, record.name, record.city_name, record.province_name
    )
    alignment = VariantAligner(known_names(gazetteer, [record])).align(text, profile.forms())
    assert alignment.accepted, alignment.reason
    assert [(label["label"], label["text"]) for label in alignment.labels] == expected


@pytest.mark.parametrize(
    "text",
    ["华厦银行西山支行", "华夏西珊", "华夏银行西西山支行", "华夏银行江油西山之行"],
)
def test_typo_variant_accepted(aligner, huaxia, text):
    alignment = aligner.align(text, huaxia.forms())
    assert alignment.accepted, alignment.reason
    assert alignment.typo


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("工行西山支行", REJECT_OTHER_BANK),
        ("江油西山的建设银行", REJECT_OTHER_BANK),
        ("华商银行西山支行", REJECT_OTHER_BANK),
        ("中国工商银行江油西山支行", REJECT_OTHER_BANK),
    ],
)
def test_other_bank_rejected(aligner, huaxia, text, reason):
    assert aligner.align(text, huaxia.forms()).reason == reason


@pytest.mark.parametrize("text", ["北京西山的华夏银行", "华夏银行成都西山支行", "广元华夏西山"])
def test_other_city_rejected(aligner, huaxia, text):
    assert aligner.align(text, huaxia.forms()).reason == REJECT_OTHER_PLACE


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("华夏银行", REJECT_NO_BRANCH),
        ("华夏银行股份有限公司江油西山支行", REJECT_OFFICIAL),
        ("华夏银行江油西山分理处", REJECT_UNALIGNED),
        ("西山的营业厅华夏", REJECT_UNALIGNED),
        ("华夏西山西山支行", REJECT_REPEATED),
        ("华夏" * 30, REJECT_TOO_LONG),
    ],
)
def test_unusable_variant_rejected(aligner, huaxia, text, reason):
    assert aligner.align(text, huaxia.forms()).reason == reason


def test_dropped_direction_not_a_slip(aligner, gazetteer):
    profile = ProfileBuilder(gazetteer).build(
        "104127000019", "中国银行股份有限公司邯郸市中华北大街支行", "邯郸市", "河北省"
    )
    assert not aligner.align("邯郸中华大街支行", profile.forms()).accepted
    assert aligner.align("邯郸中华北大街支行", profile.forms()).accepted
    # A dropped character is a slip only in a bank name: "商街" is not "商业街".
    assert not aligner.align("邯郸中华北大支行", profile.forms()).accepted
    assert aligner.align("中国银邯郸中华北大街支行", profile.forms()).typo


def test_bank_one_character_off_rejected(aligner, gazetteer):
    icbc = ProfileBuilder(gazetteer).build(ICBC.cnaps_code, ICBC.name, ICBC.city_name, ICBC.province_name)
    # 汉商银行 is not a slip of 工商银行: 汉 neither sounds nor looks like 工.
    assert not aligner.align("汉商银行北京新华支行", icbc.forms()).accepted
    assert aligner.align("工商银行北京新华支行", icbc.forms()).accepted


def test_coverage_beats_slip(aligner, gazetteer):
    profile = ProfileBuilder(gazetteer).build(
        "102601000019", "中国工商银行股份有限公司清远石角支行", "清远市", "广东省"
    )
    alignment = aligner.align("清远石角工商银行", profile.forms())
    # 石 sounds like 市, but reading "清远石" as a slip of 清远市 would leave 角 unexplained.
    assert [(label["label"], label["text"]) for label in alignment.labels] == [
        ("LOC", "清远"),
        ("BRANCH", "石角"),
        ("BANK", "工商银行"),
    ]
    assert not alignment.typo


def test_traditional_variant_labelled_on_original(aligner, huaxia):
    alignment = aligner.align("江油西山的華夏銀行", huaxia.forms())
    assert alignment.accepted
    assert alignment.labels[-1]["text"] == "華夏銀行"


def test_parse_variants_strips_markers():
    output = " 华夏银行(江油西山)\n- 西山那个华夏\n2. “华夏西山”\n\n* 江油华夏\n"
    assert parse_variants(output) == ["华夏银行(江油西山)", "西山那个华夏", "华夏西山", "江油华夏"]


def test_completion_prompt_ends_open(huaxia):
    prompts = load_prompts()
    fields = huaxia.prompt_fields()
    assert fields == PromptFields("华夏银行股份有限公司江油西山支行", "华夏", "江油", "西山支行")
    prompt = prompts.completion_prompt(fields)
    assert prompt.endswith(
        "正式名称：华夏银行股份有限公司江油西山支行\n简称：华夏　地点：江油　网点：西山支行\n说法：\n-"
    )
    assert prompt.count("正式名称：") == len(prompts.examples) + 1
    assert prompts.version
    assert len(prompts.examples) >= 3
