"""Property and fuzz tests of the directory importers: odd files end in a clear error or a correct import.

Each case imports a generated file into a small database and checks one of two
outcomes: a ``BankcodeError`` whose message names the file, with the database
unchanged, or a summary whose rows are exactly the valid rows of the file.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import BankcodeError, ImportFileError
from core.importers import preview_file
from core.store import import_directory, open_directory
from helpers import FTS_SQL_HOSTILE_TEXT

DATA = Path(__file__).resolve().parent / "data"
FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Three valid rows that every fuzz database contains before a fuzzed import.
BASE_ROWS = [
    ("102100000021", "中国工商银行股份有限公司北京新华支行"),
    ("104100000004", "中国银行股份有限公司北京市分行"),
    ("105100000017", "中国建设银行股份有限公司北京市分行"),
]
HOSTILE_TEXT = [*FTS_SQL_HOSTILE_TEXT, "NEAR(a b, 2)"]


# Name text: printable ASCII, Chinese, full-width forms and spaces. A short file
# whose non-ASCII text is mostly other scripts may be read as GB18030, by design
# of the encoding guess, so such names are not generated.
PRINTABLE = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
    st.sampled_from(["\u00a0", "\u3000", "·", "（", "）"]),
)


def _snapshot(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT cnaps_code, name, clearing_code FROM branches ORDER BY cnaps_code"
        ).fetchall()


def _write_base_csv(path: Path) -> None:
    lines = ["行号,行名"] + [f"{code},{name}" for code, name in BASE_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def base_db_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz_base")
    source = folder / "base.csv"
    _write_base_csv(source)
    path = folder / "base.sqlite"
    with open_directory(path, create_demo=False) as directory:
        import_directory(directory, source)
    return path


@pytest.fixture
def fuzz_db(base_db_template, tmp_path_factory):
    """A factory: each call returns a fresh open copy of the three-row database."""
    opened = []

    def make():
        folder = tmp_path_factory.mktemp("fuzz_db")
        path = folder / "directory.sqlite"
        path.write_bytes(base_db_template.read_bytes())
        directory = open_directory(path, create_demo=False)
        opened.append(directory)
        return directory

    yield make
    for directory in opened:
        directory.close()


def _import_outcome(directory, path: Path):
    """Import ``path``; return the summary, or the ``BankcodeError`` once the rows are checked unchanged."""
    before = _snapshot(directory.path)
    try:
        summary = import_directory(directory, path)
    except BankcodeError as error:
        assert str(path) in str(error), f"message does not name the file: {error}"
        assert _snapshot(directory.path) == before
        integrity = sqlite3.connect(directory.path).execute("PRAGMA integrity_check").fetchone()[0]
        assert integrity == "ok"
        return error
    return summary


# ---- random and damaged bytes ------------------------------------------------------


@FUZZ_SETTINGS
@given(data=st.binary(min_size=0, max_size=4000))
def test_random_bytes_error_or_import(fuzz_db, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "random.csv"
    path.write_bytes(data)
    _import_outcome(fuzz_db(), path)


@FUZZ_SETTINGS
@given(
    prefix=st.sampled_from(
        [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"[", b"{"]
    ),
    data=st.binary(max_size=2000),
)
def test_magic_prefixes_error_or_import(fuzz_db, tmp_path_factory, prefix, data):
    path = tmp_path_factory.mktemp("magic") / "file.dat"
    path.write_bytes(prefix + data)
    _import_outcome(fuzz_db(), path)


def _xlsx_bytes() -> bytes:
    return (DATA / "import.xlsx").read_bytes()


@FUZZ_SETTINGS
@given(cut=st.integers(min_value=1, max_value=len((DATA / "import.xlsx").read_bytes()) - 1))
def test_truncated_xlsx_is_clear_error(fuzz_db, tmp_path_factory, cut):
    path = tmp_path_factory.mktemp("xlsx") / "cut.xlsx"
    path.write_bytes(_xlsx_bytes()[:cut])
    outcome = _import_outcome(fuzz_db(), path)
    assert isinstance(outcome, ImportFileError)


@FUZZ_SETTINGS
@given(
    position=st.integers(min_value=0, max_value=len((DATA / "import.xlsx").read_bytes()) - 1),
    flips=st.binary(min_size=1, max_size=16),
)
def test_corrupted_xlsx_error_or_import(fuzz_db, tmp_path_factory, position, flips):
    original = bytearray(_xlsx_bytes())
    for offset, value in enumerate(flips):
        if position + offset < len(original):
            original[position + offset] ^= value or 0xFF
    path = tmp_path_factory.mktemp("xlsx") / "flipped.xlsx"
    path.write_bytes(bytes(original))
    _import_outcome(fuzz_db(), path)


def test_xlsx_with_damaged_sheet_is_clear_error(fuzz_db, tmp_path):
    """A workbook whose zip directory is fine but whose sheet XML is cut off."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(DATA / "import.xlsx") as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            target.writestr(item, content)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(buffer.getvalue())
    outcome = _import_outcome(fuzz_db(), path)
    assert isinstance(outcome, ImportFileError)


# ---- edge files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "content"),
    [
        ("empty.csv", b""),
        ("blank.csv", b"\n\n  \r\n"),
        ("bom_only.csv", b"\xef\xbb\xbf"),
        ("header_only.csv", "行号,行名,清算行号\n".encode()),
        ("header_only_bom.csv", "\ufeff联行号,网点名称\r\n".encode()),
        ("header_only.unl", "行号|行名|\n".encode()),
        ("empty_array.json", b"[]"),
        ("empty_object.jsonl", b"{}\n"),
        ("unclosed.json", b'[{"bank_code": "102100000021", "name": "x"'),
        ("nul_bytes.csv", b"\x00" * 100),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
    ],
)
def test_edge_files_are_clear_errors(fuzz_db, tmp_path, file_name, content):
    path = tmp_path / file_name
    path.write_bytes(content)
    outcome = _import_outcome(fuzz_db(), path)
    assert isinstance(outcome, ImportFileError)


def test_header_only_xlsx_is_clear_error(fuzz_db, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["行号", "行名"])
    path = tmp_path / "header_only.xlsx"
    workbook.save(path)
    outcome = _import_outcome(fuzz_db(), path)
    assert isinstance(outcome, ImportFileError)


# ---- mixed encodings --------------------------------------------------------------


def test_mixed_utf8_and_gbk_lines_are_not_misread(fuzz_db, tmp_path):
    """A UTF-8 file with one GBK line is rejected naming a line, or read with every name intact."""
    rows = [
        ("102100000021", "中国工商银行股份有限公司北京新华支行"),
        ("104100000004", "中国银行股份有限公司北京市分行"),
    ]
    content = "行号,行名\n".encode() + f"{rows[0][0]},{rows[0][1]}\n".encode()
    content += f"{rows[1][0]},{rows[1][1]}\n".encode("gbk")
    path = tmp_path / "mixed.csv"
    path.write_bytes(content)
    directory = fuzz_db()
    outcome = _import_outcome(directory, path)
    if isinstance(outcome, BankcodeError):
        assert isinstance(outcome, ImportFileError)
        return
    names = {name for _, name, _ in _snapshot(directory.path)}
    assert {name for _, name in rows} <= names


@FUZZ_SETTINGS
@given(
    encodings=st.lists(st.sampled_from(["utf-8", "gb18030", "utf-16"]), min_size=2, max_size=6),
)
def test_mixed_encodings_never_import_mojibake(fuzz_db, tmp_path_factory, encodings):
    names = [name for _, name in BASE_ROWS]
    codes = ["313100000013", "402100000018", "403100000004", "301290000007", "302100011000", "303100000006"]
    content = "行号,行名\n".encode(encodings[0])
    expected = {}
    for index, encoding in enumerate(encodings):
        name = names[index % len(names)] + f"第{index}支行"
        expected[codes[index]] = name
        content += f"{codes[index]},{name}\n".encode(encoding)
    path = tmp_path_factory.mktemp("mixed") / "mixed.csv"
    path.write_bytes(content)
    directory = fuzz_db()
    outcome = _import_outcome(directory, path)
    if isinstance(outcome, BankcodeError):
        return
    stored = dict((code, name) for code, name, _ in _snapshot(directory.path))
    for code, name in stored.items():
        if code in expected:
            assert name == expected[code], f"{code} imported as {name!r}, expected {expected[code]!r}"


# ---- FTS5 and SQL syntax in names -------------------------------------------------


@FUZZ_SETTINGS
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(PRINTABLE, min_size=1, max_size=6)),
        min_size=1,
        max_size=6,
    )
)
def test_hostile_names_import_verbatim(fuzz_db, tmp_path_factory, pieces):
    name = "中国银行" + "".join(pieces) + "支行"
    path = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    path.write_text(
        json.dumps({"行号": "104100000999", "行名": name}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    directory = fuzz_db()
    outcome = _import_outcome(directory, path)
    if isinstance(outcome, BankcodeError):
        return
    stored = directory.get("104100000999")
    assert stored is not None
    assert stored.name == name.strip()
    integrity = directory.db.execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"
    tables = set(directory.db.table_names())
    assert {"branches", "branches_fts", "branches_chars"} <= tables


def test_hostile_names_in_csv_cells(fuzz_db, tmp_path):
    lines = ["行号,行名"]
    expected = {}
    for index, text in enumerate(HOSTILE_TEXT):
        if text == "\x00":
            continue
        code = f"1021000{index:05d}"
        name = f"中国工商银行{text}支行"
        expected[code] = name
        quoted = '"' + name.replace('"', '""') + '"'
        lines.append(f"{code},{quoted}")
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    directory = fuzz_db()
    summary = import_directory(directory, path)
    assert summary.skipped_count == 0
    for code, name in expected.items():
        row = directory.get(code)
        assert row is not None, code
        assert row.name == name.strip()


# ---- very large inputs ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("suffix", "megabytes"), [("csv", 100), ("unl", 100), ("jsonl", 20), ("json", 20)])
def test_huge_line(fuzz_db, tmp_path, suffix, megabytes):
    """One line of up to 100 MB among valid rows ends in a clear error or is skipped.

    JSON gets 20 MB, which is enough to show that a long element is parsed in
    linear time (re-parsing it per 64 KiB chunk took minutes).
    """
    huge = "银" * (megabytes * 1024 * 1024 // 3)
    path = tmp_path / f"huge.{suffix}"
    with path.open("w", encoding="utf-8") as handle:
        if suffix == "csv":
            handle.write("行号,行名\n102100000021,中国工商银行股份有限公司北京新华支行\n")
            handle.write(f"102100000022,{huge}\n")
        elif suffix == "unl":
            handle.write("102100000021|中国工商银行股份有限公司北京新华支行|\n")
            handle.write(f"102100000022|{huge}|\n")
        elif suffix == "jsonl":
            handle.write(
                json.dumps({"行号": "102100000021", "行名": "中国工商银行股份有限公司北京新华支行"}) + "\n"
            )
            handle.write(json.dumps({"行号": "102100000022", "行名": huge}, ensure_ascii=False) + "\n")
        else:
            handle.write('[{"行号": "102100000021", "行名": "中国工商银行股份有限公司北京新华支行"},\n')
            handle.write(json.dumps({"行号": "102100000022", "行名": huge}, ensure_ascii=False) + "]\n")
    directory = fuzz_db()
    outcome = _import_outcome(directory, path)
    if isinstance(outcome, BankcodeError):
        return
    assert directory.get("102100000021") is not None
    assert directory.get("102100000022") is None
    assert [row.line_no for row in outcome.skipped] == [3 if suffix == "csv" else 2]
    assert [row.reason for row in outcome.skipped] == ["name_too_long"]


def test_preview_of_hostile_header(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(
        '"NEAR(","\'; DROP TABLE branches;--"\n102100000021,中国工商银行北京新华支行\n', encoding="utf-8"
    )
    preview = preview_file(path)
    assert preview.mapping.code == 0
    assert preview.mapping.name == 1


LARGE_FILE_SCRIPT = """
import json, resource, sys
from pathlib import Path
from core.importers import read_directory_file
from core.store import import_directory, open_directory

folder, stream_rows, import_rows = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

def write(path, rows):
    with path.open("w", encoding="utf-8") as handle:
        handle.write("行号,行名\\n")
        for index in range(rows):
            handle.write(f"{313000000000 + index * 7:012d},测试农村商业银行股份有限公司第{index}号营业部\\n")

def peak_mib():
    # VmHWM is this process's own peak; ru_maxrss would include the forked pytest parent.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

write(folder / "stream.csv", stream_rows)
streamed = sum(1 for _ in read_directory_file(folder / "stream.csv"))
stream_peak = peak_mib()
write(folder / "import.csv", import_rows)
with open_directory(folder / "large.sqlite", create_demo=False) as directory:
    summary = import_directory(directory, folder / "import.csv")
print(json.dumps({"streamed": streamed, "stream_peak_mib": stream_peak,
                  "imported": summary.total, "import_peak_mib": peak_mib()}))
"""


@pytest.mark.slow
def test_million_row_file_streams_in_bounded_memory(tmp_path):
    """Stream a 1,000,000-row file and import 200,000 rows in a child; print the peak RSS.

    The whole million-row import is measured by ``python -m core.store.bench_import
    --rows 1000000``; it takes minutes, too long for the test suite.
    """
    import subprocess
    import sys
    import time

    import psutil

    child = subprocess.Popen(
        [sys.executable, "-c", LARGE_FILE_SCRIPT, str(tmp_path), "1000000", "200000"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    watched = psutil.Process(child.pid)
    polled_peak = 0
    while child.poll() is None:
        try:
            polled_peak = max(polled_peak, watched.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    stdout, stderr = child.communicate(timeout=600)
    assert child.returncode == 0, stderr.decode(errors="replace")
    report = json.loads(stdout.decode().strip().splitlines()[-1])
    print(
        f"streamed {report['streamed']:,} rows, peak RSS {report['stream_peak_mib']:.0f} MiB; "
        f"imported {report['imported']:,} rows, peak RSS {report['import_peak_mib']:.0f} MiB "
        f"(psutil polling: {polled_peak / 2**20:.0f} MiB)"
    )
    assert report["streamed"] == 1_000_000
    assert report["imported"] == 200_000
    # Python with the product's modules loaded is about 60 MiB. 250 MiB leaves room for
    # the 64 MiB SQLite page cache of the import. Keeping 1,000,000 rows in memory
    # would take about 400 MiB (an estimate: 400 bytes per RawRow with its strings).
    assert report["stream_peak_mib"] < 250
    assert report["import_peak_mib"] < 250
