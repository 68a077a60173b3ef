"""``bankcode augment`` progress when stderr is not a terminal: plain lines, no redrawn bar."""

from __future__ import annotations

import re

from click.testing import CliRunner

from core.cli.main import cli


def test_piped_progress_prints_lines(demo_db_template, tmp_path):
    out_dir = tmp_path / "data"
    result = CliRunner().invoke(
        cli,
        ["augment", "--db", str(demo_db_template), "--no-llm", "--max-branches", "20", "--out", str(out_dir)],
    )

    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    # Stages are polled every 0.2 s, so a stage that starts and ends between two polls
    # shows no line; which lines appear before the last one depends on the machine's load.
    stage_line = re.compile(r"^(规则变体|写入文件)(……|：\d+/\d+)$")
    assert lines
    assert [line for line in lines if not stage_line.match(line)] == []
    assert lines[-1] == "写入文件：3/3"
    assert "\r" not in result.stderr
    assert "/s" not in result.stderr
    assert (out_dir / "manifest.json").exists()


def test_max_branches_spread_over_banks(demo_directory):
    from core.augment.generate import read_branches

    first = read_branches(demo_directory, 40, seed=7)
    again = read_branches(demo_directory, 40, seed=7)
    other = read_branches(demo_directory, 40, seed=8)

    codes = [branch.cnaps_code for branch in first]
    assert len(codes) == 40
    assert codes == sorted(codes)
    assert codes == [branch.cnaps_code for branch in again]
    assert codes != [branch.cnaps_code for branch in other]
    assert len({code[:3] for code in codes}) >= 10
