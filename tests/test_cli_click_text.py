"""click's own text (help option, usage line, usage errors, version) is Chinese."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from core import __version__
from core.cli.main import cli
from helpers import run_bankcode

# Words of click's English messages; option names such as --help are removed first.
CLICK_ENGLISH = re.compile(
    r"\b(Usage|Options|Commands|Show|message|exit|default|version|Error|Invalid|value|Try|"
    r"Missing|range|INTEGER|RANGE|required)\b"
)


def _without_option_names(text: str) -> str:
    return re.sub(r"--?[a-z][a-z-]*", "", text)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["query", "--help"],
        ["import", "--help"],
        ["--version"],
        ["query", "--top", "0", "x"],
        ["query", "--top", "many", "x"],
        ["query"],
        ["quer", "x"],
    ],
)
def test_click_text_is_chinese(args):
    result = CliRunner().invoke(cli, args)
    assert result.output.strip()
    assert CLICK_ENGLISH.findall(_without_option_names(result.output)) == []


def test_usage_error_through_main(tmp_path):
    completed = run_bankcode(["query", "--top", "0", "x"], home=tmp_path)
    assert completed.returncode == 2
    assert "错误：'--top' 的取值无效：0 超出范围 1<=x<=50。" in completed.stderr
    assert "用法: bankcode query [OPTIONS] TEXT" in completed.stderr


def test_version_line():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.output == f"bankcode 版本 {__version__}\n"
