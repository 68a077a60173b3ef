"""Write the directory files that tests/test_import_*.py read, from rows of the demo directory.

Run from the repository root after changing the rows: .venv/bin/python tests/data/make_import_fixtures.py
The outputs are committed so that the tests need no generation step.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent.parent / "core" / "data" / "demo_branches.csv"
# Every 400th demo row, plus the one real code whose check digit fails.
STEP = 400
BAD_CHECK_DIGIT = "314653617115"


def sample_rows() -> list[tuple[str, str, str]]:
    with DEMO.open(encoding="utf-8", newline="") as handle:
        demo = list(csv.DictReader(handle))
    picked = [row for index, row in enumerate(demo) if index % STEP == 0]
    picked += [row for row in demo if row["cnaps_code"] == BAD_CHECK_DIGIT]
    # The clearing code of a branch is the first sampled code of its bank category.
    first_of_category: dict[str, str] = {}
    rows = []
    for row in picked:
        code = row["cnaps_code"]
        clearing = first_of_category.setdefault(code[:3], code)
        rows.append((code, row["name"], clearing))
    return rows


def write_csv(name: str, header: list[str] | None, rows, encoding: str, delimiter: str = ",") -> None:
    with (HERE / name).open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        if header:
            writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rows = sample_rows()
    write_csv("import_utf8.csv", ["行号", "行名", "清算行号"], rows, "utf-8")
    write_csv("import_utf8_bom.csv", ["联行号", "网点名称", "参与机构行号"], rows, "utf-8-sig")
    write_csv("import_gb18030.csv", ["支付行号", "开户行名称", "清算行号"], rows, "gb18030")
    write_csv("import_english.csv", ["Bank Code", "Bank Name", "Clearing Code"], rows, "utf-8")
    # Headerless, columns in an unusual order: the reader must find them by content.
    write_csv(
        "import_headerless.csv", None, [(name, clearing, code) for code, name, clearing in rows], "utf-8"
    )

    # The payment system's export: GB18030, no header, a trailing pipe on every line.
    with (HERE / "import_gb18030.unl").open("w", encoding="gb18030", newline="") as handle:
        for code, name, clearing in rows:
            handle.write(f"{code}|{name}|{clearing}|\n")

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "银行行号", "银行名称", "清算行号"])
    for index, (code, name, clearing) in enumerate(rows, start=1):
        sheet.append([index, code, name, clearing])
    workbook.save(HERE / "import.xlsx")

    records = [{"bank_code": code, "name": name, "clearing_code": clearing} for code, name, clearing in rows]
    (HERE / "import.json").write_text(
        json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    with (HERE / "import.jsonl").open("w", encoding="utf-8") as handle:
        for code, name, _ in rows:
            handle.write(json.dumps({"行号": code, "行名": name}, ensure_ascii=False) + "\n")

    # Line 4 has an 11-digit code and line 6 an empty name; the other rows are good.
    bad = [list(row) for row in rows[:8]]
    bad[2][0] = bad[2][0][:11]
    bad[4][1] = ""
    write_csv("import_malformed_row.csv", ["行号", "行名", "清算行号"], bad, "utf-8")

    # Line 5 repeats line 2 exactly; line 6 repeats line 3's code with another name.
    twice = [list(row) for row in rows[:3]]
    twice.append(list(rows[0]))
    twice.append([rows[1][0], rows[1][1] + "营业部", rows[1][2]])
    write_csv("import_conflicting_name.csv", ["行号", "行名", "清算行号"], twice, "utf-8")

    write_csv(
        "import_no_code_column.csv", ["行名", "地址"], [(name, "北京") for _, name, _ in rows[:5]], "utf-8"
    )
    (HERE / "import_empty.csv").write_bytes(b"")
    (HERE / "import_random.bin").write_bytes(random.Random(20261204).randbytes(4096))


if __name__ == "__main__":
    main()
