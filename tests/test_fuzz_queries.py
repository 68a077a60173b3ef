"""Property and fuzz tests of the query path: any text gives a result or ``InvalidQueryError``.

Queries mix bank words with text that means something to FTS5 or SQL, random
Unicode and odd lengths. The lookup engine, the full-text index queries, the code
suggestions and ``bankcode query`` must never raise anything else.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.cli.main import main
from core.errors import InvalidQueryError
from core.results import LookupResult
from core.store.fts import chars_query, trigram_query
from core.store.suggest import suggest_codes
from helpers import FTS_SQL_HOSTILE_TEXT

QUERY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Besides FTS5 and SQL syntax: a zero-width space, a byte-order mark and an ideographic space.
HOSTILE_TEXT = [*FTS_SQL_HOSTILE_TEXT, "NEAR(工行 北京, 2)", "\u200b", "\ufeff", "\u3000"]
BANK_WORDS = ["工行", "中国银行", "北京", "新华", "支行", "农商行", "102100000021", "10210000002", "ghbjxh"]

queries = st.lists(
    st.one_of(st.sampled_from(HOSTILE_TEXT), st.sampled_from(BANK_WORDS), st.text(max_size=8)),
    min_size=0,
    max_size=8,
).map("".join)


def _check_result(text: str, result: LookupResult) -> None:
    assert result.query == text
    assert 0.0 <= result.confidence <= 1.0
    if result.answer is not None:
        assert len(result.answer.cnaps_code) == 12
        assert result.answer.cnaps_code.isdigit()
    for entity in result.entities:
        assert 0 <= entity.start <= entity.end <= len(text)


@QUERY_SETTINGS
@given(text=queries)
def test_lookup_any_text(lookup_engine, text):
    try:
        result = lookup_engine.lookup(text)
    except InvalidQueryError as error:
        assert error.params.get("key")
        return
    _check_result(text, result)


@QUERY_SETTINGS
@given(texts=st.lists(queries, max_size=5))
def test_lookup_batch_any_text(lookup_engine, texts):
    results = lookup_engine.lookup_batch(texts)
    assert [result.query for result in results] == texts


def test_lookup_hostile_text_each(lookup_engine):
    for piece in HOSTILE_TEXT:
        for text in (piece, f"工行北京{piece}新华支行", f"{piece}102100000021", piece * 50):
            try:
                result = lookup_engine.lookup(text)
            except InvalidQueryError:
                continue
            _check_result(text, result)


def test_lookup_very_long_query_is_invalid(lookup_engine):
    from core.lookup.engine import MAX_QUERY_CHARS

    text = "中国工商银行北京新华支行" * 20_000
    with pytest.raises(InvalidQueryError) as caught:
        lookup_engine.lookup(text)
    assert caught.value.params["key"] == "lookup.invalid_too_long"
    longest = "北京新华支行" + "行" * (MAX_QUERY_CHARS - 6)
    _check_result(longest, lookup_engine.lookup(longest))


@pytest.fixture(scope="module")
def fts_connection(demo_db_template):
    with contextlib.closing(sqlite3.connect(f"{demo_db_template.as_uri()}?mode=ro", uri=True)) as conn:
        yield conn


@QUERY_SETTINGS
@given(text=queries)
def test_fts_queries_never_raise(fts_connection, text):
    fts_connection.execute(
        "SELECT count(*) FROM branches_fts WHERE branches_fts MATCH ?", (trigram_query(text),)
    ).fetchone()
    fts_connection.execute(
        "SELECT count(*) FROM branches_chars WHERE branches_chars MATCH ?", (chars_query(text),)
    ).fetchone()


def test_fts_hostile_name_part_finds_nothing_extra(fts_connection):
    """An FTS5 operator in a query is searched as text, never run as syntax."""
    total = fts_connection.execute("SELECT count(*) FROM branches").fetchone()[0]
    for piece in HOSTILE_TEXT:
        hits = fts_connection.execute(
            "SELECT count(*) FROM branches_fts WHERE branches_fts MATCH ?", (trigram_query(f"北京{piece}"),)
        ).fetchone()[0]
        assert hits < total


@QUERY_SETTINGS
@given(code=st.text(alphabet="0123456789 -x", max_size=16))
def test_suggest_codes_any_text(demo_directory_ro, code):
    for suggestion in suggest_codes(demo_directory_ro, code):
        assert len(suggestion) == 12


@pytest.fixture(scope="module")
def demo_directory_ro(demo_db_template):
    from core.store import open_directory

    directory = open_directory(demo_db_template, read_only=True)
    yield directory
    directory.close()


@pytest.mark.parametrize("text", ["'; DROP TABLE branches;--", 'NEAR("工行"', "{}", "   "])
def test_query_cli_hostile_text(demo_db_template, capsys, text):
    """``bankcode query`` prints a result, candidates, or one Chinese error line: exit 0, 1 or 2."""
    with pytest.raises(SystemExit) as caught:
        main(["query", text, "--db", str(demo_db_template)])
    output = capsys.readouterr()
    assert caught.value.code in (0, 1, 2), output
    assert "Traceback" not in output.err
    if caught.value.code == 2:
        assert output.err.strip()
