"""Skipped rows, fatal files, cancel, and what replace and merge record in directory_changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.errors import Cancelled, ImportFileError
from core.jobs import Progress
from core.store import SkippedRow, import_directory

STORE_DATA = Path(__file__).resolve().parent / "data"


def _dump(path: Path) -> list[str]:
    """Every table's content and the schema, in one comparable list."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def _changes(directory, import_id: int) -> list[tuple]:
    return [
        tuple(row)
        for row in directory.db.execute(
            "SELECT cnaps_code, change, old_name, new_name FROM directory_changes WHERE import_id = ? "
            "ORDER BY change, cnaps_code",
            [import_id],
        )
    ]


def test_malformed_rows_named_by_line(empty_directory):
    summary = import_directory(empty_directory, STORE_DATA / "import_malformed_row.csv")
    assert summary.skipped == [
        SkippedRow(line_no=4, value="10243530274", reason="invalid_code"),
        SkippedRow(line_no=6, value=summary.skipped[1].value, reason="empty_name"),
    ]
    assert summary.skipped[1].value.isdigit()
    assert summary.skipped_count == 2
    assert summary.added == 6
    assert empty_directory.count() == 6
    stored = empty_directory.db.execute(
        "SELECT skipped FROM imports WHERE id = ?", [summary.import_id]
    ).fetchone()
    assert stored == (2,)


def test_conflicting_name_keeps_first(empty_directory):
    summary = import_directory(empty_directory, STORE_DATA / "import_conflicting_name.csv")
    assert summary.duplicates == 1
    assert len(summary.skipped) == 1
    skipped = summary.skipped[0]
    assert (skipped.line_no, skipped.reason, skipped.first_line) == (6, "conflicting_name", 3)
    assert skipped.value.startswith("102290017612 ")
    assert empty_directory.count() == 3
    assert empty_directory.get("102290017612").name == "中国工商银行股份有限公司上海市武康路支行"


def test_conflict_across_batches(empty_directory, tmp_path, monkeypatch):
    from core.store import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    path = tmp_path / "late_conflict.csv"
    path.write_text(
        "行号,行名\n102100000021,甲\n102100000030,乙\n102100000048,丙\n102100000021,甲\n102100000021,丁\n",
        encoding="utf-8",
    )
    summary = import_directory(empty_directory, path)
    assert summary.duplicates == 1
    assert summary.skipped == [SkippedRow(6, "102100000021 丁", "conflicting_name", first_line=2)]


@pytest.mark.parametrize(
    ("file_name", "key"),
    [
        ("import_no_code_column.csv", "store.error_no_code_column"),
        ("import_empty.csv", "store.error_empty"),
        ("import_random.bin", "store.error_encoding"),
        ("no_such_file.csv", "store.error_missing"),
    ],
)
def test_fatal_file_leaves_database_unchanged(demo_directory, file_name, key):
    before = _dump(demo_directory.path)
    with pytest.raises(ImportFileError) as raised:
        import_directory(demo_directory, STORE_DATA / file_name)
    assert raised.value.params["key"] == key
    assert file_name in str(raised.value)
    assert _dump(demo_directory.path) == before


def test_no_valid_rows_leaves_database_unchanged(demo_directory, tmp_path):
    path = tmp_path / "all_bad.csv"
    path.write_text("行号,行名\n12345,甲支行\n102100000021,\n", encoding="utf-8")
    before = _dump(demo_directory.path)
    with pytest.raises(ImportFileError) as raised:
        import_directory(demo_directory, path)
    assert raised.value.params["key"] == "store.error_no_valid_rows"
    assert raised.value.params["skipped"] == 2
    assert _dump(demo_directory.path) == before


def test_decode_error_midway_leaves_database_unchanged(demo_directory, tmp_path, monkeypatch):
    from core.importers import encoding

    # Only the first 64 bytes are sniffed, so the GBK line further on is found while importing.
    monkeypatch.setattr(encoding, "SAMPLE_BYTES", 64)
    path = tmp_path / "mixed.csv"
    head = "行号,行名\n" + "".join(f"{code},{name}\n" for code, name in [("102100000021", "甲支行")] * 5)
    path.write_bytes(head.encode("utf-8") + "102100000030,乙支行\n".encode("gbk"))
    before = _dump(demo_directory.path)
    with pytest.raises(ImportFileError) as raised:
        import_directory(demo_directory, path)
    assert raised.value.params["key"] == "store.error_decode_line"
    assert _dump(demo_directory.path) == before


class _CancelAfterFirstBatch(Progress):
    def advance(self, count: int = 1) -> None:
        self.cancel()
        super().advance(count)


def test_cancel_leaves_database_unchanged(demo_directory):
    before = _dump(demo_directory.path)
    with pytest.raises(Cancelled):
        import_directory(demo_directory, STORE_DATA / "import_utf8.csv", progress=_CancelAfterFirstBatch())
    assert _dump(demo_directory.path) == before


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("行号,行名\n" + "".join(f"{code},{name}\n" for code, name in rows), encoding="utf-8")
    return path


FIRST = [
    ("102100000021", "中国工商银行股份有限公司北京新华支行"),
    ("102100000030", "中国工商银行股份有限公司北京市分行营业部"),
    ("102100000048", "中国工商银行股份有限公司北京东铁匠营支行"),
]
SECOND = [
    ("102100000021", "中国工商银行股份有限公司北京新华支行"),  # unchanged
    ("102100000030", "中国工商银行股份有限公司北京分行营业部"),  # renamed
    ("102100000056", "中国工商银行股份有限公司北京崇文门外大街支行"),  # added; 048 is missing
]


def test_replace_records_diff(empty_directory, tmp_path):
    import_directory(empty_directory, _write(tmp_path / "first.csv", FIRST))
    summary = import_directory(empty_directory, _write(tmp_path / "second.csv", SECOND))
    assert (summary.added, summary.changed, summary.removed, summary.unchanged) == (1, 1, 1, 1)
    assert summary.total == 3
    assert _changes(empty_directory, summary.import_id) == [
        ("102100000056", "added", None, "中国工商银行股份有限公司北京崇文门外大街支行"),
        ("102100000048", "removed", "中国工商银行股份有限公司北京东铁匠营支行", None),
        (
            "102100000030",
            "renamed",
            "中国工商银行股份有限公司北京市分行营业部",
            "中国工商银行股份有限公司北京分行营业部",
        ),
    ]
    assert empty_directory.get("102100000048") is None
    assert empty_directory.get("102100000030").import_id == summary.import_id
    assert empty_directory.get("102100000021").import_id == summary.import_id - 1


def test_merge_keeps_missing_codes(empty_directory, tmp_path):
    import_directory(empty_directory, _write(tmp_path / "first.csv", FIRST))
    summary = import_directory(empty_directory, _write(tmp_path / "second.csv", SECOND), mode="merge")
    assert (summary.added, summary.changed, summary.removed, summary.unchanged) == (1, 1, 0, 1)
    assert summary.total == 4
    assert [change[1] for change in _changes(empty_directory, summary.import_id)] == ["added", "renamed"]
    assert empty_directory.get("102100000048").name == "中国工商银行股份有限公司北京东铁匠营支行"


def test_merge_keeps_clearing_codes(empty_directory, tmp_path):
    import_directory(empty_directory, STORE_DATA / "import_utf8.csv")
    import_directory(empty_directory, _write(tmp_path / "names_only.csv", FIRST), mode="merge")
    assert empty_directory.get("102100000021").clearing_code == "102100000021"
    import_directory(empty_directory, _write(tmp_path / "names_only.csv", FIRST))
    assert empty_directory.get("102100000021").clearing_code is None


def test_same_file_twice_changes_nothing(demo_directory):
    summary = import_directory(
        demo_directory, Path(__file__).resolve().parents[1] / "core/data/demo_branches.csv"
    )
    assert (summary.added, summary.changed, summary.removed, summary.unchanged) == (0, 0, 0, 12_130)
    imports = demo_directory.db.execute(
        "SELECT sha256, finished_at IS NOT NULL FROM imports ORDER BY id"
    ).fetchall()
    assert imports[0] == imports[1]


def test_derived_columns(empty_directory, tmp_path):
    path = _write(
        tmp_path / "derived.csv",
        [
            ("304659017619", "华夏银行江油西山支行"),
            ("402659012345", "江油市农村信用合作联社西山信用社"),
            ("999999999999", "某某储蓄所"),
        ],
    )
    import_directory(empty_directory, path)
    rows = empty_directory.db.execute(
        "SELECT cnaps_code, bank_category, city_code, legal_name FROM branches ORDER BY cnaps_code"
    ).fetchall()
    assert rows == [
        ("304659017619", "304", "6590", "华夏银行"),
        ("402659012345", "402", "6590", "江油市农村信用合作联社"),
        ("999999999999", "999", "9999", ""),
    ]
    city = empty_directory.db.execute(
        "SELECT city_name, province_name FROM cities WHERE city_code = '6590'"
    ).fetchone()
    stored = empty_directory.db.execute(
        "SELECT city_name, province_name FROM branches WHERE city_code = '6590'"
    ).fetchall()
    assert stored == [city, city]
    assert empty_directory.get("999999999999").city_name == ""


def test_skip_reasons_have_chinese_text():
    from core.i18n import has
    from core.store.importer import SKIP_REASONS

    for reason in SKIP_REASONS:
        assert has(f"store.skip.{reason}"), reason
    text = SkippedRow(6, "102290017612 甲", "conflicting_name", first_line=3).reason_text()
    assert text == "同一联行号在第 3 行已出现，行名不同；保留第 3 行，请核对哪个行名正确"
