"""``bankcode import`` through the real command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from core.cli.main import cli
from core.store import open_directory
from helpers import run_bankcode

STORE_DATA = Path(__file__).resolve().parent / "data"


def test_import_prints_summary(tmp_path):
    db = tmp_path / "cli.sqlite"
    result = CliRunner().invoke(
        cli, ["import", str(STORE_DATA / "import_malformed_row.csv"), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "已导入 import_malformed_row.csv（CSV，utf-8，替换）："
    assert "新增 6 个网点" in lines
    assert "删除 0 个" in lines
    assert "跳过 2 行：" in lines
    assert "  第 4 行：联行号不是 12 位数字（10243530274）" in lines
    assert any(line.startswith("  第 6 行：行名为空") for line in lines)
    with open_directory(db, create_demo=False) as directory:
        assert directory.count() == 6


def test_import_replaces_demo_without_loading_it(tmp_path):
    db = tmp_path / "fresh.sqlite"
    result = CliRunner().invoke(cli, ["import", str(STORE_DATA / "import_gb18030.unl"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "新增 32 个网点" in result.output
    assert "校验位不符 1 个联行号（已导入，请核对）：314653617115" in result.output
    with open_directory(db) as directory:
        assert directory.db.execute("SELECT count(*) FROM imports").fetchone()[0] == 1


def test_import_merge_into_demo(tmp_path):
    db = tmp_path / "merged.sqlite"
    result = CliRunner().invoke(cli, ["import", str(STORE_DATA / "import.json"), "--db", str(db), "--merge"])
    assert result.exit_code == 0, result.output
    assert "已导入 import.json（JSON，utf-8，合并）：" in result.output
    assert "新增 0 个网点" in result.output
    assert "数据库现有 12,130 个网点" in result.output


def test_import_fatal_exits_2(tmp_path):
    db = tmp_path / "fatal.sqlite"
    completed = run_bankcode(
        ["import", str(STORE_DATA / "import_no_code_column.csv"), "--db", str(db)], home=tmp_path / "home"
    )
    assert completed.returncode == 2
    assert "找不到 12 位联行号所在的列" in completed.stderr
    assert "import_no_code_column.csv" in completed.stderr


def test_import_help_is_chinese():
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    assert "导入行号文件" in result.output
    assert "合并导入" in result.output
