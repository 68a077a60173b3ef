"""Corrections become aliases at once; undo and conflicting corrections."""

from __future__ import annotations

import pytest

from core.feedback import apply_correction, list_corrections, record_correction, undo_correction
from core.lookup.engine import LookupEngine

QUERY = "工行东铁匠营那个网点"
CHOSEN = "102100000048"  # 中国工商银行股份有限公司北京东铁匠营支行
OTHER = "102100000021"  # 中国工商银行股份有限公司北京新华支行


@pytest.fixture
def engine(demo_directory, lookup_engine):
    """An engine over a writable demo directory, reusing the session's prebuilt index."""
    return LookupEngine(demo_directory, index=lookup_engine.index)


def alias_rows(directory):
    return directory.db.execute("SELECT alias_text, cnaps_code, source FROM aliases ORDER BY id").fetchall()


def test_correction_answers_at_once(demo_directory, engine):
    before = engine.lookup(QUERY)
    assert before.answer is None or before.answer.cnaps_code != OTHER
    outcome = apply_correction(
        demo_directory, QUERY, OTHER, before.answer.cnaps_code if before.answer else None
    )
    assert outcome.alias_written
    engine.reload_aliases()
    after = engine.lookup(QUERY)
    assert after.answer is not None
    assert after.answer.cnaps_code == OTHER
    assert after.note_key == "lookup.note_alias"
    # The alias key is normalized, so punctuation and full-width forms hit it too.
    assert engine.lookup("工行东铁匠营，那个网点！").answer.cnaps_code == OTHER


def test_undo_removes_alias(demo_directory, engine):
    row_id = record_correction(demo_directory, QUERY, OTHER, CHOSEN)
    engine.reload_aliases()
    assert engine.lookup(QUERY).answer.cnaps_code == OTHER
    assert undo_correction(demo_directory, row_id) is True
    assert alias_rows(demo_directory) == []
    engine.reload_aliases()
    result = engine.lookup(QUERY)
    assert result.note_key != "lookup.note_alias"
    assert undo_correction(demo_directory, row_id) is False
    assert [row.status for row in list_corrections(demo_directory, include_undone=True)] == ["undone"]


def test_confirmation_writes_no_alias(demo_directory):
    outcome = apply_correction(demo_directory, QUERY, CHOSEN, CHOSEN)
    assert not outcome.alias_written
    assert alias_rows(demo_directory) == []
    assert len(list_corrections(demo_directory)) == 1


def test_conflicting_corrections_keep_latest(demo_directory, engine):
    first = apply_correction(demo_directory, QUERY, CHOSEN, None)
    second = apply_correction(demo_directory, " " + QUERY, OTHER, CHOSEN)
    assert second.replaced_code == CHOSEN
    assert second.superseded_ids == (first.correction_id,)
    assert alias_rows(demo_directory) == [(first.alias_text, OTHER, "correction")]
    statuses = {row.id: row.status for row in list_corrections(demo_directory, include_undone=True)}
    assert statuses == {first.correction_id: "undone", second.correction_id: "active"}
    engine.reload_aliases()
    assert engine.lookup(QUERY).answer.cnaps_code == OTHER


def test_undo_keeps_alias_of_other_correction(demo_directory):
    first = record_correction(demo_directory, QUERY, OTHER, None)
    record_correction(demo_directory, QUERY + "。", OTHER, None)
    undo_correction(demo_directory, first)
    assert [code for _text, code, _source in alias_rows(demo_directory)] == [OTHER]
