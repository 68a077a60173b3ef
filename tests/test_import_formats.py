"""Every supported file format and encoding imports the same 32 demo rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from core.errors import ImportFileError
from core.importers import ColumnMapping, preview_file, read_directory_file
from core.store import SkippedRow, import_directory

STORE_DATA = Path(__file__).resolve().parent / "data"


def _expected_rows() -> list[tuple[str, str, str]]:
    with (STORE_DATA / "import_utf8.csv").open(encoding="utf-8", newline="") as handle:
        return [tuple(row) for row in list(csv.reader(handle))[1:]]


EXPECTED = _expected_rows()


@pytest.mark.parametrize(
    ("file_name", "file_format", "encoding", "header", "mapping"),
    [
        ("import_utf8.csv", "csv", "utf-8", ("行号", "行名", "清算行号"), ColumnMapping(0, 1, 2)),
        (
            "import_utf8_bom.csv",
            "csv",
            "utf-8-sig",
            ("联行号", "网点名称", "参与机构行号"),
            ColumnMapping(0, 1, 2),
        ),
        (
            "import_gb18030.csv",
            "csv",
            "gb18030",
            ("支付行号", "开户行名称", "清算行号"),
            ColumnMapping(0, 1, 2),
        ),
        (
            "import_english.csv",
            "csv",
            "utf-8",
            ("Bank Code", "Bank Name", "Clearing Code"),
            ColumnMapping(0, 1, 2),
        ),
        ("import_headerless.csv", "csv", "utf-8", None, ColumnMapping(2, 0, 1)),
        ("import_gb18030.unl", "unl", "gb18030", None, ColumnMapping(0, 1, 2)),
        ("import.xlsx", "xlsx", "", ("序号", "银行行号", "银行名称", "清算行号"), ColumnMapping(1, 2, 3)),
        ("import.json", "json", "utf-8", ("bank_code", "name", "clearing_code"), ColumnMapping(0, 1, 2)),
        ("import.jsonl", "jsonl", "utf-8", ("行号", "行名"), ColumnMapping(0, 1, None)),
    ],
)
def test_preview_detects_layout(file_name, file_format, encoding, header, mapping):
    preview = preview_file(STORE_DATA / file_name, rows=3)
    assert preview.format == file_format
    assert preview.encoding == encoding
    assert preview.header == header
    assert preview.mapping == mapping
    assert len(preview.rows) == 3


@pytest.mark.parametrize(
    "file_name",
    [
        "import_utf8.csv",
        "import_utf8_bom.csv",
        "import_gb18030.csv",
        "import_english.csv",
        "import_headerless.csv",
        "import_gb18030.unl",
        "import.xlsx",
        "import.json",
    ],
)
def test_format_imports_all_rows(empty_directory, file_name):
    summary = import_directory(empty_directory, STORE_DATA / file_name)
    stored = [
        tuple(row)
        for row in empty_directory.db.execute(
            "SELECT cnaps_code, name, clearing_code FROM branches ORDER BY cnaps_code"
        )
    ]
    assert stored == sorted(EXPECTED)
    assert (summary.added, summary.changed, summary.removed, summary.skipped_count) == (32, 0, 0, 0)
    assert summary.check_digit_warnings == 1
    assert summary.check_digit_examples == ["314653617115"]


def test_json_lines_without_clearing(empty_directory):
    summary = import_directory(empty_directory, STORE_DATA / "import.jsonl")
    stored = [
        tuple(row)
        for row in empty_directory.db.execute(
            "SELECT cnaps_code, name, clearing_code FROM branches ORDER BY cnaps_code"
        )
    ]
    assert stored == sorted((code, name, None) for code, name, _ in EXPECTED)
    assert summary.format == "jsonl"


def test_unl_line_numbers_start_at_one():
    rows = list(read_directory_file(STORE_DATA / "import_gb18030.unl"))
    assert [row.line_no for row in rows] == list(range(1, 33))
    assert (rows[0].cnaps_code, rows[0].name, rows[0].clearing_code) == EXPECTED[0]


def test_json_array_across_chunks(tmp_path):
    # Far more than one 64 KiB read, with objects spanning chunk boundaries.
    records = [{"联行号": code, "行名": name * 3, "备注": "x" * 50} for code, name, _ in EXPECTED] * 60
    path = tmp_path / "big.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    assert path.stat().st_size > 3 * 65536
    rows = list(read_directory_file(path))
    assert len(rows) == len(records)
    assert [(row.cnaps_code, row.name) for row in rows[:32]] == [
        (code, name * 3) for code, name, _ in EXPECTED
    ]
    # indent=1 writes each three-key object on 5 lines after the opening bracket.
    assert [row.line_no for row in rows[:3]] == [2, 7, 12]


def test_json_truncated_raises(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('[{"行号": "102100000021", "行名": "中国工商银行', encoding="utf-8")
    with pytest.raises(ImportFileError) as raised:
        list(read_directory_file(path))
    assert raised.value.params["key"] == "store.error_json"


def test_xlsx_numeric_codes_keep_leading_zeros(tmp_path, empty_directory):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["行号", "行名"])
    workbook.active.append([1100000017, "中国人民银行营业管理部"])
    workbook.active.append([102100000021, "中国工商银行股份有限公司北京新华支行"])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)
    rows = list(read_directory_file(path))
    assert [row.cnaps_code for row in rows] == ["001100000017", "102100000021"]


def test_spreadsheet_code_artifacts_cleaned(tmp_path, empty_directory):
    path = tmp_path / "excel_artifacts.csv"
    path.write_text(
        '行号,行名\n\'102100000021,甲支行\n102100000030.0,乙支行\n="102100000048",丙支行\n１０２１００００００５６,丁支行\n',
        encoding="utf-8",
    )
    summary = import_directory(empty_directory, path)
    assert summary.skipped == []
    assert summary.corrected_codes == 4
    codes = [
        row[0] for row in empty_directory.db.execute("SELECT cnaps_code FROM branches ORDER BY cnaps_code")
    ]
    assert codes == ["102100000021", "102100000030", "102100000048", "102100000056"]


def test_tab_separated_gbk(tmp_path, empty_directory):
    path = tmp_path / "export.txt"
    lines = ["银行名称\t网点名称\t行号"] + [f"某银行\t{name}\t{code}" for code, name, _ in EXPECTED]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    preview = preview_file(path)
    # 网点名称 names the branch; 银行名称 is only the bank.
    assert preview.mapping == ColumnMapping(code=2, name=1, clearing=None)
    assert preview.encoding == "gb18030"
    summary = import_directory(empty_directory, path)
    assert summary.added == 32


def test_old_xls_rejected(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ImportFileError) as raised:
        preview_file(path)
    assert raised.value.params["key"] == "store.error_xls"


def test_headerless_bad_first_row_reported(tmp_path, empty_directory):
    path = tmp_path / "bad_first.unl"
    lines = [f"{code}|{name}|" for code, name, _ in EXPECTED[:4]]
    lines[0] = "10210000002|中国工商银行股份有限公司北京新华支行|"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert preview_file(path).header is None
    summary = import_directory(empty_directory, path)
    assert summary.skipped == [SkippedRow(1, "10210000002", "invalid_code")]
    assert summary.added == 3


def test_headerless_name_beats_address(tmp_path):
    path = tmp_path / "with_address.unl"
    lines = [
        f"{code}|北京市海淀区知春路{index}号院东侧商业楼一层{index}室近地铁十号线西北口步行约五百米|{name}|"
        for index, (code, name, _) in enumerate(EXPECTED)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert preview_file(path).mapping == ColumnMapping(code=0, name=2, clearing=None)


def test_short_gbk_valid_as_utf8(tmp_path):
    # These GBK bytes happen to be valid UTF-8 too.
    path = tmp_path / "short.unl"
    path.write_bytes("100000000009|司|\n".encode("gb18030"))
    assert path.read_bytes().decode("utf-8") != "100000000009|司|\n"
    preview = preview_file(path)
    assert preview.encoding == "gb18030"
    assert preview.rows == (("100000000009", "司"),)
