"""The synthetic directory generator and the ``bankcode synth`` command."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.checkdigit import is_valid_code
from core.cli.main import cli
from core.names.parts import UNIT_TYPES
from core.paths import PACKAGE_DATA
from core.synth import SOURCE, SynthBranch, generate_directory, write_directory

ROWS = 8_000
UNITS_LONGEST_FIRST = sorted(UNIT_TYPES, key=len, reverse=True)


@pytest.fixture(scope="module")
def synth_rows() -> list[SynthBranch]:
    return list(generate_directory(ROWS, seed=7))


@pytest.fixture(scope="module")
def city_codes() -> set[str]:
    with (PACKAGE_DATA / "cnaps_city_codes.csv").open(encoding="utf-8") as handle:
        return {row["city_code"] for row in csv.DictReader(handle)}


@pytest.fixture()
def synth_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BANKCODE_HOME", str(tmp_path / "home"))
    return tmp_path


def unit_of(name: str) -> str:
    return next((unit for unit in UNITS_LONGEST_FIRST if name.endswith(unit)), "")


def test_synth_row_count(synth_rows: list[SynthBranch]) -> None:
    assert len(synth_rows) == ROWS


def test_synth_codes_valid(synth_rows: list[SynthBranch], city_codes: set[str]) -> None:
    for branch in synth_rows:
        assert len(branch.cnaps_code) == 12, branch
        assert branch.cnaps_code.isdigit(), branch
        assert is_valid_code(branch.cnaps_code), branch
        assert branch.cnaps_code[3:7] in city_codes, branch
        assert branch.cnaps_code[:3] == branch.bank_category, branch
        assert branch.cnaps_code[3:7] == branch.city_code, branch
        assert branch.source == SOURCE


def test_synth_codes_and_names_unique(synth_rows: list[SynthBranch]) -> None:
    assert len({branch.cnaps_code for branch in synth_rows}) == ROWS
    assert len({branch.name for branch in synth_rows}) == ROWS


def test_synth_deterministic_for_seed(synth_rows: list[SynthBranch]) -> None:
    again = list(generate_directory(500, seed=7))
    assert again == synth_rows[:500]


def test_synth_seed_changes_output() -> None:
    first = [branch.cnaps_code for branch in generate_directory(200, seed=1)]
    second = [branch.cnaps_code for branch in generate_directory(200, seed=2)]
    assert first != second


def test_synth_bank_categories(synth_rows: list[SynthBranch]) -> None:
    categories = Counter(branch.bank_category for branch in synth_rows)
    assert len(categories) >= 20
    for category in ("102", "103", "104", "105", "203", "313", "314", "320", "402", "403"):
        assert categories[category] > 0, category


def test_synth_unit_types(synth_rows: list[SynthBranch]) -> None:
    units = Counter(unit_of(branch.name) for branch in synth_rows)
    for unit in ("分行", "支行", "营业部", "分理处", "营业所", "储蓄所", "信用社", "分社"):
        assert units[unit] > 0, unit
    # Most names of a national directory are sub-branches.
    assert units["支行"] > ROWS / 2


def test_synth_legal_name_patterns(synth_rows: list[SynthBranch]) -> None:
    names = [branch.name for branch in synth_rows]
    assert any(name.startswith("中国工商银行股份有限公司") for name in names)
    assert any("农村商业银行股份有限公司" in name for name in names)
    assert any("农村信用合作联社" in name and name.endswith("信用社") for name in names)
    assert any("村镇银行" in name for name in names)
    assert any(name.startswith("中国农业发展银行") for name in names)


def test_synth_near_duplicates_across_cities(synth_rows: list[SynthBranch]) -> None:
    cities_by_branch: dict[str, set[str]] = defaultdict(set)
    for branch in synth_rows:
        if branch.name.endswith("人民路支行"):
            cities_by_branch["人民路支行"].add(branch.city_code)
    assert len(cities_by_branch["人民路支行"]) >= 5


def test_synth_reserved_codes_and_names_skipped() -> None:
    plain = list(generate_directory(300, seed=3))
    reserved_codes = {branch.cnaps_code for branch in plain[:100]}
    reserved_names = {branch.name for branch in plain[100:200]}
    again = list(
        generate_directory(300, seed=3, reserved_codes=reserved_codes, reserved_names=reserved_names)
    )
    assert not reserved_codes & {branch.cnaps_code for branch in again}
    assert not reserved_names & {branch.name for branch in again}


def test_synth_negative_rows_rejected() -> None:
    with pytest.raises(ValueError, match="rows"):
        list(generate_directory(-1))


def test_write_directory_csv(tmp_path: Path) -> None:
    path = tmp_path / "synth.csv"
    assert write_directory(path, rows=150, seed=4) == 150
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "cnaps_code,name,source"
    assert not any(line.startswith("#") for line in lines)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = [
        {"cnaps_code": branch.cnaps_code, "name": branch.name, "source": "synthetic"}
        for branch in generate_directory(150, seed=4)
    ]
    assert rows == expected


def test_write_directory_unl(tmp_path: Path) -> None:
    path = tmp_path / "synth.unl"
    assert write_directory(path, rows=50, seed=4, format="unl") == 50
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50
    first = next(iter(generate_directory(1, seed=4)))
    assert lines[0] == f"{first.cnaps_code}|{first.name}|synthetic|"


def test_write_directory_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="xlsx"):
        write_directory(tmp_path / "synth.xlsx", rows=5, format="xlsx")


def test_synth_cli_writes_csv(synth_home: Path) -> None:
    out = synth_home / "directory.csv"
    result = CliRunner().invoke(cli, ["synth", "--rows", "120", "--out", str(out), "--seed", "9"])
    assert result.exit_code == 0, result.output
    assert "120" in result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 120
    assert {row["source"] for row in rows} == {"synthetic"}


def test_synth_cli_rejects_unknown_suffix(synth_home: Path) -> None:
    out = synth_home / "directory.txt"
    result = CliRunner().invoke(cli, ["synth", "--rows", "10", "--out", str(out)])
    assert result.exit_code == 2
    assert ".txt" in result.output
    assert not out.exists()


@pytest.mark.parametrize("suffix", ["csv", "unl"])
def test_synth_file_imports(synth_home: Path, suffix: str) -> None:
    from core.store import import_directory, open_directory

    path = synth_home / f"synth.{suffix}"
    write_directory(path, rows=300, seed=5, format=suffix)
    with open_directory(synth_home / "directory.sqlite", create_demo=False) as directory:
        summary = import_directory(directory, path, mode="replace")
        assert summary.format == suffix
        assert summary.added == 300
        assert summary.skipped_count == 0
        assert summary.check_digit_warnings == 0
        first = next(iter(generate_directory(1, seed=5)))
        row = directory.get(first.cnaps_code)
    assert row is not None
    assert row.name == first.name
    assert row.city_name == first.city_name


def test_synth_names_have_branch_word() -> None:
    from core.names.parser import find_bank_end, is_local_bank

    # Only a rural bank's 营业部 is named by the bank alone ("上饶农商银行股份有限公司营业部"),
    # because the bank's name already gives its county.
    bare = re.compile(r"^(?:股份有限公司|有限责任公司|有限公司)?(?:" + "|".join(UNITS_LONGEST_FIRST) + ")$")
    for branch in generate_directory(20_000, seed=5):
        bank_end = find_bank_end(branch.name)
        rest = branch.name[bank_end:]
        if bare.match(rest):
            assert rest.endswith("营业部") and not rest.endswith("分行营业部"), branch.name
            assert is_local_bank(branch.name[:bank_end]), branch.name
