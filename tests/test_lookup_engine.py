import pytest

from core.errors import InvalidQueryError
from core.lookup.engine import LookupEngine

# One case per writing habit; every expected code is a demo row.
RETRIEVAL_CASES = {
    # short bank names, legal suffix dropped
    "工行北京新华支行": "102100000021",
    "交行南宁科园支行": "301611000638",
    "辽宁农商银行抚顺会元支行": "314224010305",
    "江苏南通农商行八厂支行": "314306087022",
    "庆城县联社蔡口集信用社": "402834201221",
    "中国工商银行北京东铁匠营支行": "102100000048",
    "柳州银行象州支行": "313615320026",
    "化德包商村镇银行": "320203600016",
    # the place first, the bank last
    "北京崇文门外大街的工行": "102100000056",
    # map-style brackets
    "中国农业银行(资中龙江支行)": "103663534761",
    "中国农业银行（苍溪县支行）": "103661428615",
    # words of asking
    "请问交通银行柳州跃进支行的联行号": "301614000143",
    "帮忙查一下鄂尔多斯银行银泉支行的行号是多少": "313205000358",
    # traditional characters
    "中國建設銀行邢台愛民路支行": "105131000542",
    # typos: a homophone, a doubled character
    "中国银行北京怀柔府前接支行": "104100004144",
    "中国建设银行郑州聚源源路支行": "105491001662",
    "交行南宁科园肢行": "301611000638",
    # a county written without its suffix, 分行 kept in the chain, a unit word as written
    "农行苍溪支行": "103661428615",
    "工行北京市分行新华支行": "102100000021",
    "建行百色分行营运部": "105626100126",
    # the full official name
    "招商银行股份有限公司广州新塘支行": "308581002216",
    # bank-only queries answer with the head office; old names map to the current bank
    "中信银行": "302100011000",
    "邮政储蓄": "403100000004",
    "深圳发展银行": "307584007998",
    "广东发展银行": "306581000003",
    # pinyin initials and English abbreviations
    "yzcx": "403100000004",
    "icbc": "102100099996",
    # a code inside words, trailing words that are not part of the name
    "102100000021 工行": "102100000021",
    "工行北京新华支行营业厅": "102100000021",
    # a district the directory's name leaves out
    "工行北京市海淀区新华支行": "102100000021",
    # a district with its suffix, a prefecture before a county-level city
    "农行无锡惠山区支行": "103302065456",
    "建行苏州昆山周市支行": "105305206588",
    # an autonomous county and a city left out of the entity's name
    "镇宁县联社朵卜陇分社": "402712134870",
    "白云民泰村镇银行黄石支行": "320581005097",
}


GENERIC_ONLY = ["农商行", "信用社", "村镇银行"]


@pytest.mark.parametrize("query", GENERIC_ONLY)
def test_generic_bank_word_not_answered(lookup_engine, query):
    result = lookup_engine.lookup(query)
    assert result.answer is None
    assert result.candidates


def test_bank_and_city_lists_candidates(lookup_engine):
    result = lookup_engine.lookup("农业银行北京")
    assert result.answer is None
    assert "103100024015" in [candidate.cnaps_code for candidate in result.candidates]


@pytest.mark.parametrize("query", sorted(RETRIEVAL_CASES))
def test_lookup_answers(lookup_engine, query):
    result = lookup_engine.lookup(query)
    assert result.answer is not None, [candidate.name for candidate in result.candidates]
    assert result.answer.cnaps_code == RETRIEVAL_CASES[query]
    assert result.confidence >= lookup_engine.threshold


def test_code_returns_name(lookup_engine):
    result = lookup_engine.lookup("102100000021")
    assert result.answer is not None
    assert result.answer.name == "中国工商银行股份有限公司北京新华支行"
    assert result.confidence == 1.0


def test_mistyped_code_suggests(lookup_engine):
    result = lookup_engine.lookup("102100000031")
    assert result.answer is None
    assert result.note_key == "lookup.note_code_mistyped"
    assert "102100000021" in result.note_params["suggestions"]
    assert "102100000021" in [candidate.cnaps_code for candidate in result.candidates]


def test_code_prefix_lists_codes(lookup_engine):
    result = lookup_engine.lookup("1021000000", top=20)
    assert result.answer is None
    assert result.note_key == "lookup.note_code_prefix"
    assert result.candidates
    assert all(candidate.cnaps_code.startswith("1021000000") for candidate in result.candidates)
    assert result.note_params["count"] == str(len(result.candidates))


def test_short_digits_not_a_prefix(lookup_engine):
    result = lookup_engine.lookup("12345")
    assert result.answer is None
    assert result.note_key == "lookup.note_code_short"


@pytest.mark.parametrize("query", ["", "   ", "，。！", "（）【】", '"'])
def test_empty_query_rejected(lookup_engine, query):
    with pytest.raises(InvalidQueryError):
        lookup_engine.lookup(query)


@pytest.mark.parametrize(
    "query",
    [
        "中国工商银行火星支行",
        "华夏银行乌托邦支行",
        "中国银行北京潘家园东里西街支行",
        "新河县农村信用合作联社信用社",
    ],
)
def test_unanswerable_query_abstains(lookup_engine, query):
    result = lookup_engine.lookup(query)
    assert result.answer is None
    assert result.confidence < lookup_engine.threshold


@pytest.mark.parametrize(
    "query",
    ["工行 OR 建行", "NEAR(工行 建行)", "工行*", "'; DROP TABLE branches; --", '"工行" AND "建行"', "新华^2"],
)
def test_search_syntax_is_text(lookup_engine, query):
    lookup_engine.lookup(query)
    assert lookup_engine.directory.count() == 12130


def test_duplicate_name_not_answered(lookup_engine):
    result = lookup_engine.lookup("中国银行股份有限公司北京人大支行")
    assert result.answer is None
    assert result.note_key == "lookup.note_duplicate_name"
    assert {candidate.cnaps_code for candidate in result.candidates} == {"104100001697", "104100005694"}


def test_bank_unknown_to_directory(lookup_engine):
    result = lookup_engine.lookup("花旗银行北京分行营业部")
    assert result.answer is None


def test_entities_index_original_text(lookup_engine):
    query = "请问 江油西山的華夏銀行"
    result = lookup_engine.lookup(query)
    assert [(entity.label, query[entity.start : entity.end]) for entity in result.entities] == [
        ("LOC", "江油"),
        ("BRANCH", "西山"),
        ("BANK", "華夏銀行"),
    ]


def test_threshold_override(lookup_engine):
    strict = LookupEngine(index=lookup_engine.index, threshold=1.01)
    result = strict.lookup("中国银行北京怀柔府前接支行")
    assert result.answer is None
    assert result.candidates[0].cnaps_code == "104100004144"


def test_alias_answers_at_once(demo_directory):
    demo_directory.db["aliases"].insert(
        {
            "alias_text": "单位开户行",
            "cnaps_code": "102100000021",
            "source": "test",
            "created_at": "2026-01-01",
        }
    )
    engine = LookupEngine(demo_directory)
    result = engine.lookup("单位开户行")
    assert result.answer is not None
    assert result.answer.cnaps_code == "102100000021"
    assert result.note_key == "lookup.note_alias"


def test_lookup_batch_keeps_order(lookup_engine):
    results = lookup_engine.lookup_batch(["102100000021", "", "工行北京新华支行"])
    assert [result.answer.cnaps_code if result.answer else None for result in results] == [
        "102100000021",
        None,
        "102100000021",
    ]
    assert results[1].note_key == "lookup.note_invalid"


class FirstWordsExtractor:
    """A stand-in for the NER model: BANK is the first four characters, the rest BRANCH."""

    name = "model"

    def extract(self, text):
        from core.results import Entity

        return [Entity("BANK", 0, 4, text[:4]), Entity("BRANCH", 4, len(text), text[4:])]

    def extract_batch(self, texts):
        return [self.extract(text) for text in texts]


def test_model_extractor_spans_used(lookup_engine):
    engine = LookupEngine(index=lookup_engine.index, extractor=FirstWordsExtractor())
    query = "請問交通銀行柳州跃进支行"
    result = engine.lookup(query)
    assert result.entity_source == "model"
    assert result.answer is not None
    assert result.answer.cnaps_code == "301614000143"
    assert [(entity.label, query[entity.start : entity.end]) for entity in result.entities] == [
        ("BANK", "交通銀行"),
        ("BRANCH", "柳州跃进支行"),
    ]


@pytest.mark.parametrize("query", ['"; DROP TABLE branches; --', "xyzzy qqq", "Lorem ipsum dolor"])
def test_unrelated_query_lists_nothing(lookup_engine, query):
    result = lookup_engine.lookup(query)
    assert result.answer is None
    assert result.candidates == []
    assert result.note_key == "lookup.note_nothing_similar"


def test_candidates_meet_minimum_score(lookup_engine):
    from core.lookup.engine import MIN_CANDIDATE_SCORE

    result = lookup_engine.lookup("中国工商银行火星支行")
    assert result.candidates
    assert min(candidate.score for candidate in result.candidates) >= MIN_CANDIDATE_SCORE


def test_city_left_out_unique_answered(lookup_engine):
    result = lookup_engine.lookup("工行知春路支行")
    assert result.answer is not None
    assert result.answer.cnaps_code == "102100020794"
    assert result.note_key == "lookup.note_city_left_out"


def test_city_left_out_shared_name_abstains(lookup_engine):
    result = lookup_engine.lookup("工行鼓楼支行")
    assert result.answer is None
    assert len(result.candidates) >= 2


def test_city_left_out_district_named(lookup_engine):
    # 房山 is a district the query names, but the city (北京) is left out.
    result = lookup_engine.lookup("招商银行房山支行")
    assert result.answer is not None
    assert result.answer.name == "招商银行股份有限公司北京房山支行"
