"""Export and import of corrections between workstations, through the library and the CLI."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from core.cli.main import cli
from core.feedback import apply_correction, list_corrections
from core.feedback.share import export_corrections, import_corrections
from core.store import open_directory

CODE_A = "102100000048"
CODE_B = "102100000021"


def aliases(directory):
    return sorted(directory.db.execute("SELECT alias_text, cnaps_code FROM aliases").fetchall())


def second_database(demo_db_template, tmp_path):
    path = tmp_path / "other.sqlite"
    shutil.copyfile(demo_db_template, path)
    return open_directory(path)


def test_export_import_reproduces_aliases(demo_directory, demo_db_template, tmp_path):
    apply_correction(demo_directory, "工行东铁匠营", CODE_A, None)
    apply_correction(demo_directory, "工行新华那个", CODE_B, CODE_A)
    apply_correction(demo_directory, "工行新华支行", CODE_B, CODE_B)  # a confirmation
    path = tmp_path / "corrections.jsonl"
    assert export_corrections(demo_directory, path) == 3

    with second_database(demo_db_template, tmp_path) as other:
        report = import_corrections(other, path)
        assert (report.imported, report.duplicates, report.conflicts) == (3, 0, [])
        assert aliases(other) == aliases(demo_directory)
        assert {row.source for row in list_corrections(other)} == {"imported"}
        again = import_corrections(other, path)
        assert (again.imported, again.duplicates) == (0, 3)


def test_import_reports_conflicts_and_unknown_codes(demo_directory, tmp_path):
    apply_correction(demo_directory, "工行东铁匠营", CODE_A, None)
    lines = [
        {
            "query": "工行东铁匠营",
            "chosen_code": CODE_B,
            "previous_code": None,
            "at": "2000-01-01T00:00:00+00:00",
        },
        {
            "query": "工行某某",
            "chosen_code": "999999999999",
            "previous_code": None,
            "at": "2030-01-01T00:00:00+00:00",
        },
        {
            "query": "工行新华",
            "chosen_code": CODE_B,
            "previous_code": None,
            "at": "2030-01-01T00:00:00+00:00",
        },
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\nnot json\n", encoding="utf-8"
    )
    report = import_corrections(demo_directory, path)
    assert report.imported == 1
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert (conflict.local_code, conflict.imported_code, conflict.kept_code) == (CODE_A, CODE_B, CODE_A)
    assert report.unknown_codes == [(2, "999999999999")]
    assert [number for number, _reason in report.invalid] == [4]
    assert aliases(demo_directory) == [("工行东铁匠营", CODE_A), ("工行新华", CODE_B)]


def test_import_newer_conflict_wins(demo_directory, tmp_path):
    apply_correction(demo_directory, "工行东铁匠营", CODE_A, None)
    path = tmp_path / "in.jsonl"
    record = {
        "query": "工行东铁匠营",
        "chosen_code": CODE_B,
        "previous_code": None,
        "at": "2099-01-01T00:00:00+00:00",
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_corrections(demo_directory, path)
    assert report.conflicts[0].kept_code == CODE_B
    assert aliases(demo_directory) == [("工行东铁匠营", CODE_B)]


def test_cli_list_export_import_undo(demo_directory, demo_db_template, tmp_path):
    apply_correction(demo_directory, "工行东铁匠营", CODE_A, None)
    runner = CliRunner()
    db = str(demo_directory.path)
    listed = runner.invoke(cli, ["feedback", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "工行东铁匠营" in listed.output and CODE_A in listed.output

    exported = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["feedback", "export", "--db", db, str(exported)])
    assert result.exit_code == 0, result.output
    other = tmp_path / "other.sqlite"
    shutil.copyfile(demo_db_template, other)
    result = runner.invoke(cli, ["feedback", "import", "--db", str(other), str(exported)])
    assert result.exit_code == 0, result.output
    assert "已导入 1 条" in result.output

    row_id = list_corrections(demo_directory)[0].id
    result = runner.invoke(cli, ["feedback", "undo", "--db", db, str(row_id)])
    assert result.exit_code == 0, result.output
    assert aliases(demo_directory) == []
