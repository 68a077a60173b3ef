"""Property test: rows written by Python's csv module come back unchanged through the importer."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.checkdigit import with_check_digit
from core.importers import read_directory_file

NAME_CHARS = st.sampled_from(list("中国工商银行股份有限公司北京西山支行（）()·-, \"'；;ABCxyz0123"))
names = st.text(NAME_CHARS, min_size=1, max_size=40).map(str.strip).filter(bool)
codes = st.integers(min_value=10**10, max_value=10**11 - 1).map(lambda number: with_check_digit(str(number)))
rows = st.lists(st.tuples(codes, names), min_size=1, max_size=30, unique_by=lambda row: row[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_csv_roundtrip(tmp_path, rows, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["联行号", "行名"])
    writer.writerows(rows)
    path = tmp_path / "roundtrip.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))

    read = list(read_directory_file(path))

    assert [(row.cnaps_code, row.name) for row in read] == rows
    assert all(row.clearing_code is None for row in read)


cjk_names = names.filter(lambda name: any("\u4e00" <= char <= "\u9fff" for char in name))
unl_rows = st.lists(st.tuples(codes, cjk_names), min_size=1, max_size=30, unique_by=lambda row: row[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=unl_rows)
def test_unl_roundtrip(tmp_path, rows):
    path = tmp_path / "roundtrip.unl"
    path.write_bytes("".join(f"{code}|{name}|\n" for code, name in rows).encode("gb18030"))

    read = list(read_directory_file(path))

    assert [(row.cnaps_code, row.name) for row in read] == rows
    assert [row.line_no for row in read] == list(range(1, len(rows) + 1))
