"""Rule variants: exact spans for every kind over many demo branches, seeding, typos, forms."""

from __future__ import annotations

import csv
import random

import pytest

from core.augment.charforms import fold, to_fullwidth, to_traditional
from core.augment.llm import branch_seed
from core.augment.options import RULE_KINDS
from core.augment.profile import ProfileBuilder
from core.augment.rules import GENERATORS, rule_samples
from core.augment.samples import compose, invalid_spans, segments_of
from core.augment.typos import TYPO_KINDS, homophones, make_typo, near_homophones, random_typo
from core.names.gazetteer import Gazetteer, read_city_table
from core.names.parts import UNIT_TYPES
from core.paths import PACKAGE_DATA
from core.text.normalize import normalize_text

# Names whose shapes stress the generators: a legal suffix, a rural bank named after
# its place, a credit union, a former name, a branch without own name, a head office,
# brackets inside the branch, a remark after it.
TRICKY_NAMES = [
    ("304659000016", "华夏银行股份有限公司江油西山支行"),
    ("314306100010", "江苏南通农村商业银行股份有限公司江海支行"),
    ("402823000010", "庆城县农村信用合作联社西山信用社"),
    ("307584000010", "平安银行股份有限公司深圳罗湖支行"),
    ("102100000030", "中国工商银行股份有限公司北京市分行营业部"),
    ("310290000013", "上海浦东发展银行"),
    ("103882000012", "中国农业银行股份有限公司乌鲁木齐新民路(兵团)支行"),
    ("403100000010", "中国邮政储蓄银行股份有限公司喀左县颐静园支行"),
    ("105100000017", "中国建设银行北京分行营业部（不对外营业）"),
]


def _demo_rows(count: int) -> list[tuple[str, str]]:
    with (PACKAGE_DATA / "demo_branches.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(row["cnaps_code"], row["name"]) for row in csv.DictReader(handle)]
    return random.Random(5).sample(rows, count)


@pytest.fixture(scope="module")
def profiles():
    cities = {row["city_code"]: row for row in read_city_table()}
    rows = TRICKY_NAMES + _demo_rows(300)
    builder = ProfileBuilder(Gazetteer.build(read_city_table(), [name for _, name in rows]))
    built = []
    for code, name in rows:
        city = cities.get(code[3:7], {})
        built.append(builder.build(code, name, city.get("city_name", ""), city.get("province_name", "")))
    return built


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_spans_exact_for_kind(profiles, kind):
    produced = 0
    for profile in profiles:
        rng = random.Random(branch_seed(1, profile.cnaps_code))
        for _ in range(4):
            segments = GENERATORS[kind](profile, rng)
            if segments is None:
                continue
            text, labels = compose(segments)
            sample = {"text": text, "labels": labels, "cnaps_code": profile.cnaps_code, "kind": kind}
            produced += 1
            assert invalid_spans(sample) == [], (profile.name, text, labels)
            for label in labels:
                assert text[label["start"] : label["end"]] == label["text"]
    # Every kind applies to a good share of real branches.
    assert produced >= 100


@pytest.mark.parametrize("kind", ["short", "colloquial", "incomplete", "typo"])
def test_kind_keeps_branch_or_place(profiles, kind):
    for profile in profiles:
        if profile.is_head_office:
            continue
        segments = GENERATORS[kind](profile, random.Random(3))
        if segments is None:
            continue
        labels = {label for _, label in segments if label}
        assert labels & {"BRANCH", "LOC"}, (profile.name, segments)


def test_official_spans_match_parser(profiles):
    for profile in profiles:
        text, labels = compose(GENERATORS["official"](profile, random.Random(0)))
        assert text == profile.name
        assert [(item["label"], item["start"], item["end"]) for item in labels] == [
            (entity.label, entity.start, entity.end) for entity in profile.parts.spans
        ]


def test_rule_samples_count_and_distinct(profiles):
    for profile in profiles:
        samples = rule_samples(profile, 8, RULE_KINDS, random.Random(branch_seed(13, profile.cnaps_code)))
        texts = [sample["text"] for sample in samples]
        assert len(texts) == len(set(texts))
        assert samples[0]["kind"] == "official"
        assert all(sample["source"] == "rules" for sample in samples)
        if not profile.is_head_office:
            assert len(samples) == 8, profile.name


def test_rule_samples_seeded(profiles):
    profile = profiles[0]
    first = rule_samples(profile, 8, RULE_KINDS, random.Random(42))
    second = rule_samples(profile, 8, RULE_KINDS, random.Random(42))
    other = rule_samples(profile, 8, RULE_KINDS, random.Random(43))
    assert first == second
    assert first != other


def test_rule_samples_only_requested_kinds(profiles):
    for profile in profiles[:50]:
        samples = rule_samples(profile, 4, ("short", "typo"), random.Random(1))
        assert {sample["kind"] for sample in samples} <= {"short", "typo"}


def test_regional_wordings(profiles):
    by_code = {profile.cnaps_code: profile for profile in profiles}
    rural = by_code["314306100010"]
    assert "南通农商行" in rural.bank_short
    assert "南通信用社" in rural.bank_regional
    assert "深发展" in by_code["307584000010"].bank_former
    assert "邮政" in by_code["403100000010"].bank_regional
    assert "华夏" in by_code["304659000016"].bank_short


def test_colloquial_rural_branch_with_generic_word(profiles):
    """Some colloquial variants of a rural branch pair its own name with 农商行 or the like."""
    rural = next(profile for profile in profiles if profile.cnaps_code == "314306100010")
    found = []
    for seed in range(60):
        segments = GENERATORS["colloquial"](rural, random.Random(seed))
        labelled = [(label, piece) for piece, label in segments if label is not None]
        if labelled[0] == ("BRANCH", "江海") and labelled[-1][1] in rural.bank_generic:
            found.append(labelled)
    assert found
    assert all(len(labelled) == 2 and labelled[-1][0] == "BANK" for labelled in found)
    assert all(labelled[-1][1] not in UNIT_TYPES for labelled in found)


def test_profile_forms_cover_parts(profiles):
    forms = profiles[0].forms()
    assert forms.bank == ("华夏", "华夏银行", "华夏银行股份有限公司")
    assert {"江油", "江油市"} <= set(forms.places)
    assert forms.branch == ("西山", "西山支行")


def test_segments_round_trip():
    text, labels = compose([("华夏", "BANK"), ("的", None), ("西山", "BRANCH")])
    sample = {"text": text, "labels": labels, "cnaps_code": "1", "kind": "short", "source": "rules"}
    assert segments_of(sample) == [("华夏", "BANK"), ("的", None), ("西山", "BRANCH")]


@pytest.mark.parametrize(
    ("segments", "expected"),
    [
        (
            [("农行", "BANK"), ("江油市", "LOC"), ("支行", "BRANCH")],
            [("BANK", "农行"), ("BRANCH", "江油市支行")],
        ),
        (
            [("工行", "BANK"), ("北京", "LOC"), ("海淀区", "LOC"), ("支行", "BRANCH")],
            [("BANK", "工行"), ("LOC", "北京"), ("BRANCH", "海淀区支行")],
        ),
        # The unit is recognized in traditional characters too.
        (
            [("農行", "BANK"), ("公安", "LOC"), ("分理處", "BRANCH")],
            [("BANK", "農行"), ("BRANCH", "公安分理處")],
        ),
        # Only a space between them: the model reads the two as adjacent.
        (
            [("建行", "BANK"), (" ", None), ("蔚县", "LOC"), ("\u3000", None), ("支行", "BRANCH")],
            [("BANK", "建行"), ("BRANCH", "蔚县\u3000支行")],
        ),
        # A branch with its own name, or a place set apart by a filler, keeps its LOC.
        ([("江油", "LOC"), ("西山支行", "BRANCH")], [("LOC", "江油"), ("BRANCH", "西山支行")]),
        ([("江油", "LOC"), ("的", None), ("支行", "BRANCH")], [("LOC", "江油"), ("BRANCH", "支行")]),
    ],
)
def test_compose_merges_place_into_unit(segments, expected):
    text, labels = compose(segments)
    assert [(label["label"], label["text"]) for label in labels] == expected
    assert not invalid_spans({"text": text, "labels": labels})


def test_no_generator_leaves_place_before_bare_unit(profiles):
    """Every kind labels "<place><unit>" as one BRANCH, typos included."""
    for kind in RULE_KINDS:
        for profile in profiles:
            rng = random.Random(branch_seed(3, profile.cnaps_code))
            for sample in rule_samples(profile, 6, (kind,), rng):
                for left, right in zip(sample["labels"], sample["labels"][1:], strict=False):
                    adjacent = not normalize_text(sample["text"][left["end"] : right["start"]])
                    bare_unit = normalize_text(right["text"]) in UNIT_TYPES
                    assert not (left["label"] == "LOC" and adjacent and bare_unit), sample


@pytest.mark.parametrize(
    ("sample", "problem"),
    [
        (
            {"text": "华夏西山", "labels": [{"start": 0, "end": 2, "label": "BANK", "text": "华厦"}]},
            "label text",
        ),
        ({"text": "华夏", "labels": [{"start": 0, "end": 5, "label": "BANK", "text": "华夏"}]}, "outside"),
        (
            {"text": "华夏", "labels": [{"start": 0, "end": 2, "label": "ORG", "text": "华夏"}]},
            "unknown label",
        ),
        (
            {
                "text": "华夏西山",
                "labels": [
                    {"start": 0, "end": 3, "label": "BANK", "text": "华夏西"},
                    {"start": 2, "end": 4, "label": "BRANCH", "text": "西山"},
                ],
            },
            "overlaps",
        ),
    ],
)
def test_invalid_spans_detected(sample, problem):
    problems = invalid_spans(sample)
    assert len(problems) == 1
    assert problem in problems[0]


@pytest.mark.parametrize("typo_kind", TYPO_KINDS)
def test_typo_changes_text(typo_kind):
    rng = random.Random(7)
    changed = make_typo("江油西山", typo_kind, rng)
    assert changed is not None
    assert changed != "江油西山"
    if typo_kind == "drop":
        assert len(changed) == 3
    elif typo_kind == "double":
        assert len(changed) == 5
    else:
        assert len(changed) == 4


def test_typo_drop_keeps_two_characters():
    assert make_typo("西山", "drop", random.Random(0)) is None


def test_typo_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unknown typo kind"):
        make_typo("西山", "swap", random.Random(0))


def test_homophones_sound_alike():
    assert "花" in homophones("华", same_tone=False)
    assert "华" not in homophones("华", same_tone=False)
    # sh/s and an/ang confusions: 山 (shan) and 三 (san), 伤 (shang).
    assert {"三", "伤"} <= set(near_homophones("山"))


def test_random_typo_never_offensive():
    rng = random.Random(0)
    for _ in range(500):
        changed = random_typo("农商银行", rng)
        assert changed is not None
        assert "淫" not in changed[0]


def test_character_forms():
    assert to_traditional("华夏银行江油西山支行") == "華夏銀行江油西山支行"
    assert to_fullwidth("工行(新华 支行)") == "工行（新华\u3000支行）"
    assert fold("華夏（西山）") == "华夏(西山)"
    assert len(fold("華夏（西山）")) == len("華夏（西山）")
