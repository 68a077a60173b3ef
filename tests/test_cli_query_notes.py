"""``bankcode query`` notes for a code of the wrong length, an absent bank, and a code beside another bank."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from core.cli.main import cli


def _query(db, text: str):
    return CliRunner().invoke(cli, ["query", text, "--db", str(db)])


def test_eleven_digits_named_with_suggestions(demo_db_path):
    result = _query(demo_db_path, "10555100511")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "未能确定，请从候选中选择：",
        "1. 中国建设银行股份有限公司长沙左家塘支行  105551005116",
        "说明：输入的 10555100511 有 11 位数字，联行号是 12 位。相差一位的现有联行号：105551005116",
    ]


def test_thirteen_digits_without_suggestions(demo_db_path):
    result = _query(demo_db_path, "1234567890123")
    assert result.exit_code == 1
    assert (
        "说明：输入的 1234567890123 有 13 位数字，联行号是 12 位，"
        "目录中也没有与它相差一位的联行号。请核对号码。" in result.output.splitlines()
    )


@pytest.mark.parametrize("bank", ["人民银行", "国家开发银行"])
def test_bank_without_branches(demo_db_path, bank):
    result = _query(demo_db_path, bank)
    assert result.exit_code == 1
    assert f"说明：目录中没有“{bank}”的网点。如需查询该行，请导入包含该行网点的行号文件。" in result.output


@pytest.mark.parametrize("text", ["102100020794 建行", "建行102100020794"])
def test_code_beside_other_bank_not_answered(demo_db_path, text):
    result = _query(demo_db_path, text)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "未能确定，请从候选中选择：",
        "1. 中国工商银行股份有限公司北京知春路支行  102100020794",
        "说明：联行号 102100020794 是“中国工商银行股份有限公司北京知春路支行”的行号，"
        "不属于查询中写的“建行”。请核对联行号或银行名称。",
    ]


@pytest.mark.parametrize(
    "text", ["102100020794 工行", "102100020794", "中国工商银行北京知春路支行 102100020794"]
)
def test_code_beside_its_bank_answered(demo_db_path, text):
    result = _query(demo_db_path, text)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "联行号：102100020794"
