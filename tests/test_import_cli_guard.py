"""``bankcode import``: the large-removal guard, repaired codes, and the listed changes."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

from click.testing import CliRunner

from core.cli.main import cli
from core.store import open_directory
from helpers import run_bankcode

REPO = Path(__file__).resolve().parents[1]
DEMO_CSV = REPO / "core" / "data" / "demo_branches.csv"
STORE_DATA = Path(__file__).resolve().parent / "data"


def _demo_rows(count: int) -> list[tuple[str, str]]:
    with DEMO_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(row[0], row[1]) for row in itertools.islice(reader, count)]


def _write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["行号", "行名"])
        writer.writerows(rows)
    return path


def _import(*args: str):
    return CliRunner().invoke(cli, ["import", *args])


def _codes(db: Path) -> list[str]:
    with open_directory(db, create_demo=False) as directory:
        return [row[0] for row in directory.db.execute("SELECT cnaps_code FROM branches ORDER BY 1")]


def test_replace_rejects_large_removal(tmp_path):
    rows = _demo_rows(10)
    db = tmp_path / "guard.sqlite"
    assert _import(str(_write_csv(tmp_path / "full.csv", rows)), "--db", str(db)).exit_code == 0
    small = _write_csv(tmp_path / "small.csv", rows[:3])

    result = _import(str(small), "--db", str(db))

    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "文件 small.csv 只有 3 行有效数据，替换导入会删除行号库现有 10 个网点中的 7 个，"
        "已停止，行号库未作任何修改。",
        "  确实要用这个文件替换整个行号库：加 --replace 重新运行。",
        "  只想新增和更新网点、不删除：加 --merge 重新运行。",
    ]
    assert _codes(db) == sorted(code for code, _ in rows)
    with open_directory(db, create_demo=False) as directory:
        assert directory.db.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_replace_option_confirms_large_removal(tmp_path):
    rows = _demo_rows(10)
    db = tmp_path / "confirmed.sqlite"
    _import(str(_write_csv(tmp_path / "full.csv", rows)), "--db", str(db))

    result = _import(str(_write_csv(tmp_path / "small.csv", rows[:3])), "--db", str(db), "--replace")

    assert result.exit_code == 0, result.output
    assert "删除 7 个" in result.output.splitlines()
    assert _codes(db) == sorted(code for code, _ in rows[:3])


def test_replace_removing_half_or_less_needs_no_option(tmp_path):
    rows = _demo_rows(10)
    db = tmp_path / "half.sqlite"
    _import(str(_write_csv(tmp_path / "full.csv", rows)), "--db", str(db))

    result = _import(str(_write_csv(tmp_path / "half.csv", rows[:5])), "--db", str(db))

    assert result.exit_code == 0, result.output
    assert len(_codes(db)) == 5


def test_first_import_over_demo_is_not_blocked(tmp_path):
    db = tmp_path / "demo.sqlite"
    open_directory(db).close()

    result = _import(str(STORE_DATA / "import_gb18030.unl"), "--db", str(db))

    assert result.exit_code == 0, result.output
    assert "删除 12,098 个" in result.output.splitlines()
    assert len(_codes(db)) == 32


def test_replace_and_merge_together_is_a_usage_error(tmp_path):
    db = tmp_path / "x.sqlite"
    result = _import(str(STORE_DATA / "import.json"), "--db", str(db), "--merge", "--replace")
    assert result.exit_code == 2
    assert "--replace 和 --merge 只能选一个" in result.output


def test_summary_lists_changes(tmp_path):
    rows = _demo_rows(25)
    db = tmp_path / "changes.sqlite"
    _import(str(_write_csv(tmp_path / "full.csv", rows)), "--db", str(db))
    # 22 renamed, the first three removed, one added.
    edited = [(code, name + "营业部") for code, name in rows[3:]] + [("102100099996", "测试新增支行")]
    path = _write_csv(tmp_path / "edited.csv", edited)

    result = _import(str(path), "--db", str(db), "--replace")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    added_at = lines.index("新增 1 个网点")
    assert lines[added_at + 1] == "  102100099996 测试新增支行"
    renamed_at = lines.index("行名变更 22 个")
    code, name = rows[3]
    assert lines[renamed_at + 1] == f"  {code}：{name} → {name}营业部"
    assert lines[renamed_at + 21] == "  …… 另有 2 个未列出"
    removed_at = lines.index("删除 3 个")
    assert lines[removed_at + 1 : removed_at + 4] == [f"  {c} {n}" for c, n in rows[:3]]


def test_skipped_rows_sorted_by_line(tmp_path):
    db = tmp_path / "skips.sqlite"
    result = _import(str(STORE_DATA / "import_conflicting_name.csv"), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert (
        "  第 6 行：同一联行号在第 3 行已出现，行名不同；保留第 3 行，请核对哪个行名正确"
        "（102290017612 中国工商银行股份有限公司上海市武康路支行营业部）"
    ) in result.output.splitlines()
    rows = _demo_rows(6)
    path = tmp_path / "mixed.csv"
    path.write_text(
        "行号,行名\n"
        f"{rows[0][0]},{rows[0][1]}\n"
        f"{rows[0][0]},另一个名字\n"  # line 3: conflicting name, found after the batch
        "12345,短号支行\n"  # line 4: invalid code
        f"{rows[1][0]},\n",  # line 5: empty name
        encoding="utf-8",
    )
    result = _import(str(path), "--db", str(db), "--replace")
    skipped = [line for line in result.output.splitlines() if line.startswith("  第 ")]
    assert [line.split(" 行：")[0] for line in skipped] == ["  第 3", "  第 4", "  第 5"]


def test_repaired_codes_counted_not_logged(tmp_path):
    rows = _demo_rows(4)
    path = tmp_path / "excelish.csv"
    path.write_text("行号,行名\n" + "".join(f"{code}.0,{name}\n" for code, name in rows), encoding="utf-8")
    home = tmp_path / "home"
    command = ["import", str(path), "--db", str(tmp_path / "x.sqlite")]

    quiet = run_bankcode(command, home)
    verbose = run_bankcode(["-v", *command, "--merge"], home)

    assert quiet.returncode == 0, quiet.stderr
    assert "还原了 4 个被表格软件改动的联行号" in quiet.stdout
    assert "WARNING" not in quiet.stderr
    assert "4 codes were repaired" in verbose.stderr
    log = (tmp_path / "home" / "logs" / "bankcode.log").read_text(encoding="utf-8")
    assert log.count("4 codes were repaired") == 2
