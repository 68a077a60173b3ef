"""The installation self-test: `bankcode selftest` in the source tree and the frozen app's `--selftest`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli.main import cli
from core.selftest import DEMO_CODE, SelftestOptions, run_selftest, temporary_home

ROOT = Path(__file__).resolve().parent.parent
FROZEN_EXECUTABLES = {"gui": "bankcode-gui", "cli": "bankcode"}


@pytest.mark.slow
def test_selftest_cli_passes(ner_user_model):
    result = CliRunner().invoke(cli, ["selftest", "--threads", "1"])

    assert result.exit_code == 0, result.output
    # stdout alone: llama.cpp may log to stderr, which result.output interleaves.
    lines = result.stdout.splitlines()
    assert lines[0] == "bankcode 安装自检"
    for step in ("数据库", "查询", "NER 模型", "语言模型"):
        assert any(line.startswith(f"[通过] {step}：") for line in lines), step
    assert DEMO_CODE in result.output
    assert ner_user_model.version in result.output
    assert lines[-1] == "自检通过。"


@pytest.mark.slow
def test_selftest_report_steps(ner_user_model):
    report = run_selftest(SelftestOptions(llm=False, threads=1))

    assert [check.name for check in report.checks] == ["database", "lookup", "ner"]
    assert report.ok, report.lines()
    assert report.failed == []
    for label in ("bankcode", "Python", "CTranslate2", "llama.cpp", "行号库", "NER 模型"):
        assert label in report.versions


def test_selftest_damaged_database_fails(tmp_path):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database" * 100)

    result = CliRunner().invoke(cli, ["selftest", "--db", str(damaged), "--no-llm"])

    assert result.exit_code == 1, result.output
    assert "[失败] 数据库：" in result.output
    assert "[失败] 查询：未执行：数据库没有打开" in result.output
    assert result.stdout.splitlines()[-1].startswith("自检未通过，失败的步骤：数据库、查询")


@pytest.mark.slow
def test_selftest_extra_check_failure_named():
    from core.selftest import CheckFailed

    def broken() -> str:
        raise CheckFailed("坏了")

    report = run_selftest(
        SelftestOptions(llm=False), extra_checks=[("qt", broken)], extra_versions={"Qt": "6"}
    )

    assert "qt" in report.failed
    assert report.versions["Qt"] == "6"
    assert "[失败] 图形界面：坏了" in "\n".join(report.lines())


@pytest.mark.slow
def test_temporary_home_restored(bankcode_home):
    with temporary_home() as home:
        assert os.environ["BANKCODE_HOME"] == str(home)
        report = run_selftest(SelftestOptions(llm=False))
        database, lookup = report.checks[0], report.checks[1]
        assert database.ok, database.message
        assert str(home) in database.message
        assert lookup.ok, lookup.message

    assert os.environ["BANKCODE_HOME"] == str(bankcode_home)
    assert not home.exists()
    assert not (Path(bankcode_home) / "directory.sqlite").exists()


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory) -> Path:
    """The PyInstaller folder: built now when BANKCODE_BUILD_FROZEN=1, else dist/bankcode when it exists."""
    if os.environ.get("BANKCODE_BUILD_FROZEN") == "1":
        dist = tmp_path_factory.mktemp("frozen_dist")
        subprocess.run(
            [sys.executable, str(ROOT / "build" / "build_app.py"), "--dist", str(dist)], check=True
        )
        return dist / "bankcode"
    # Resolved now because the executables run with another working directory.
    folder = Path(os.environ.get("BANKCODE_FROZEN_DIR", ROOT / "dist" / "bankcode")).resolve()
    if not (folder / FROZEN_EXECUTABLES["gui"]).exists() and not (folder / "bankcode-gui.exe").exists():
        pytest.skip(
            f"no frozen app in {folder}; build it with build/build_app.py or set BANKCODE_BUILD_FROZEN=1"
        )
    return folder


def run_frozen(executable: Path, arguments: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess:
    """Run a frozen executable with nothing of the source tree or the venv in reach (like ``env -i``)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "BANKCODE_HOME": str(home)}
    if sys.platform == "win32":
        env.update(
            SYSTEMROOT=os.environ.get("SYSTEMROOT", r"C:\Windows"), PATH=os.environ.get("SYSTEMROOT", "")
        )
    return subprocess.run(
        [str(executable), *arguments], cwd=cwd, env=env, capture_output=True, encoding="utf-8", timeout=600
    )


def frozen_executable(folder: Path, kind: str) -> Path:
    name = FROZEN_EXECUTABLES[kind]
    return folder / (f"{name}.exe" if sys.platform == "win32" else name)


@pytest.mark.slow
@pytest.mark.frozen
def test_frozen_gui_selftest_passes(frozen_app, tmp_path):
    home = tmp_path / "home"
    # The report file, because a Windows GUI executable has no stdout.
    report = tmp_path / "selftest.txt"
    arguments = ["--selftest", "--report", str(report)]
    result = run_frozen(frozen_executable(frozen_app, "gui"), arguments, tmp_path, home)

    text = report.read_text(encoding="utf-8") if report.exists() else ""
    assert result.returncode == 0, text + result.stdout + result.stderr
    lines = text.splitlines()
    for step in ("数据库", "查询", "NER 模型", "语言模型", "图形界面"):
        assert any(line.startswith(f"[通过] {step}：") for line in lines), step
    assert "提交" in text  # the build stamp, present only in the frozen app
    assert lines[-1] == "自检通过。"
    # The shipped GGUF is used in place: no per-user copy is assembled.
    assert not (home / "models" / "gemma-3-270m-q4_k_m.gguf").exists()


@pytest.mark.slow
@pytest.mark.frozen
def test_frozen_cli_selftest_temp_home(frozen_app, tmp_path):
    home = tmp_path / "home"
    arguments = ["selftest", "--temp-home", "--no-llm"]
    result = run_frozen(frozen_executable(frozen_app, "cli"), arguments, tmp_path, home)

    assert result.returncode == 0, result.stdout + result.stderr
    assert DEMO_CODE in result.stdout
    assert result.stdout.splitlines()[-1] == "自检通过。"
    assert not (home / "directory.sqlite").exists()
