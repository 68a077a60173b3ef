"""core.feedback: the lookup log and corrections the desktop app writes."""

from __future__ import annotations

import json

import pytest

from core.errors import FeedbackError
from core.feedback import log_lookup, record_correction
from core.results import Candidate, LookupResult

ANSWER = Candidate(
    "102100000021", "中国工商银行股份有限公司北京新华支行", 0.97, "中国工商银行", "北京市", "北京市"
)
OTHER = Candidate(
    "102100000048", "中国工商银行股份有限公司北京东铁匠营支行", 0.41, "中国工商银行", "北京市", "北京市"
)


def test_log_lookup_stores_answer_and_candidates(demo_directory):
    result = LookupResult("工行新华", "工行新华", ANSWER, [ANSWER, OTHER], 0.97, entity_source="model")
    row_id = log_lookup(demo_directory, result)
    row = demo_directory.db["lookup_log"].get(row_id)
    assert row["query"] == "工行新华"
    assert row["answer_code"] == "102100000021"
    assert row["confidence"] == 0.97
    assert row["entity_source"] == "model"
    assert [c["cnaps_code"] for c in json.loads(row["candidates_json"])] == ["102100000021", "102100000048"]


def test_log_lookup_without_answer(demo_directory):
    result = LookupResult("工行", "工行", None, [OTHER], 0.3)
    row = demo_directory.db["lookup_log"].get(log_lookup(demo_directory, result))
    assert row["answer_code"] is None


def test_record_correction_row(demo_directory):
    row_id = record_correction(demo_directory, " 工行东铁匠营 ", "102100000048", "102100000021")
    row = demo_directory.db["corrections"].get(row_id)
    assert (row["query"], row["chosen_code"], row["previous_code"]) == (
        "工行东铁匠营",
        "102100000048",
        "102100000021",
    )
    assert (row["status"], row["source"]) == ("active", "local")


@pytest.mark.parametrize(
    ("query", "code"),
    [("", "102100000048"), ("工行", "10210000004"), ("工行", "999999999999")],
)
def test_record_correction_rejects_bad_input(demo_directory, query, code):
    with pytest.raises(FeedbackError):
        record_correction(demo_directory, query, code, None)
    assert demo_directory.db["corrections"].count == 0
