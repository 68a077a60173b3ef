"""The trigram and single-character full-text indexes stay in step with ``branches``."""

from __future__ import annotations

from pathlib import Path

from core.store import import_directory
from core.store.fts import chars_query, code_of_rowid, fts_name, spaced_chars, trigram_query

STORE_DATA = Path(__file__).resolve().parent / "data"


def _chars_codes(directory, text: str) -> set[str]:
    rows = directory.db.execute(
        "SELECT rowid FROM branches_chars WHERE branches_chars MATCH ?", [chars_query(text)]
    )
    return {code_of_rowid(row[0]) for row in rows}


def _trigram_codes(directory, text: str) -> set[str]:
    rows = directory.db.execute(
        "SELECT cnaps_code FROM branches_fts WHERE branches_fts MATCH ?", [trigram_query(text)]
    )
    return {row[0] for row in rows}


def _like_codes(directory, text: str) -> set[str]:
    rows = directory.db.execute("SELECT cnaps_code FROM branches WHERE name LIKE ?", [f"%{text}%"])
    return {row[0] for row in rows}


def _assert_in_step(directory) -> None:
    expected = {row[0]: row[1] for row in directory.db.execute("SELECT cnaps_code, name FROM branches")}
    trigram = {row[0]: row[1] for row in directory.db.execute("SELECT cnaps_code, name FROM branches_fts")}
    assert trigram == {code: fts_name(name) for code, name in expected.items()}
    chars_rowids = directory.db.execute("SELECT rowid FROM branches_chars").fetchall()
    assert {code_of_rowid(row[0]) for row in chars_rowids} == set(expected)
    # A contentless table keeps no text, so check its tokens: each name's phrase finds its code.
    for code, name in list(expected.items())[:: max(1, len(expected) // 200)]:
        assert code in _chars_codes(directory, name)
    directory.db.execute("INSERT INTO branches_chars (branches_chars, rank) VALUES ('integrity-check', 0)")
    directory.db.execute("INSERT INTO branches_fts (branches_fts) VALUES ('integrity-check')")


def test_spaced_chars_normalizes():
    assert spaced_chars("华夏银行（西山） 支行") == "华 夏 银 行 ( 西 山 ) 支 行"
    assert chars_query("西山") == '"西 山"'


def test_two_characters_found_by_chars_index(demo_directory):
    found = _chars_codes(demo_directory, "西山")
    assert found == _like_codes(demo_directory, "西山")
    assert len(found) > 5


def test_trigram_needs_three_characters(demo_directory):
    assert _trigram_codes(demo_directory, "西山") == set()
    assert (
        _trigram_codes(demo_directory, "知春路")
        == _like_codes(demo_directory, "知春路")
        == {
            "102100020794",
            "104100004249",
        }
    )


def test_indexes_match_demo(demo_directory):
    _assert_in_step(demo_directory)


def test_indexes_follow_merge_rename(demo_directory, tmp_path):
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("行号,行名\n102100000021,中国工商银行股份有限公司北京西山测试支行\n", encoding="utf-8")
    import_directory(demo_directory, renamed, mode="merge")
    assert "102100000021" in _chars_codes(demo_directory, "西山测试")
    assert _chars_codes(demo_directory, "新华支行") == _like_codes(demo_directory, "新华支行")
    _assert_in_step(demo_directory)


def test_indexes_follow_replace(demo_directory):
    import_directory(demo_directory, STORE_DATA / "import_utf8.csv")
    _assert_in_step(demo_directory)
    assert demo_directory.db.execute("SELECT count(*) FROM branches_chars").fetchone()[0] == 32
