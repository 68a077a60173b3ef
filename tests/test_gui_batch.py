"""Batch lookup: core.batch on real files and the 批量查询 dialog."""

from __future__ import annotations

import csv
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import openpyxl
import pytest
from PySide6.QtWidgets import QWidget

from core.batch import preview_table, run_batch
from core.errors import BatchFileError
from core.jobs import Progress

ZHICHUNLU = "102100020794"
ZHICHUNLU_NAME = "中国工商银行股份有限公司北京知春路支行"
ROWS = [
    ["序号", "收款人", "开户行"],
    ["1", "张三", "工商银行北京知春路支行"],
    ["2", "李四", ""],
    ["3", "王五", "人民路支行"],
]
ADDED = ["联行号", "行名", "置信度", "状态"]


@pytest.fixture(scope="module")
def engine(demo_db_template):
    from core.lookup.engine import LookupEngine
    from core.store import open_directory

    directory = open_directory(demo_db_template, read_only=True)
    yield LookupEngine(directory)
    directory.close()


@pytest.fixture
def gbk_csv(tmp_path):
    path = tmp_path / "付款.csv"
    path.write_bytes("\r\n".join(",".join(row) for row in ROWS).encode("gbk"))
    return path


@pytest.fixture
def xlsx_file(tmp_path):
    path = tmp_path / "付款.xlsx"
    workbook = openpyxl.Workbook()
    for row in ROWS:
        workbook.active.append([int(row[0]) if row[0].isdigit() else row[0], *row[1:]])
    workbook.save(path)
    return path


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_preview_guesses_branch_column(gbk_csv):
    preview = preview_table(gbk_csv)
    assert preview.format == "csv"
    assert preview.encoding == "gb18030"
    assert preview.headers == ROWS[0]
    assert preview.rows == ROWS[1:]
    assert preview.guessed_column == 2


def test_batch_csv_writes_results(engine, gbk_csv, tmp_path):
    out = tmp_path / "结果.csv"
    progress = Progress()
    summary = run_batch(engine, gbk_csv, "开户行", out, progress=progress)
    rows = read_csv(out)
    assert rows[0] == ROWS[0] + ADDED
    assert rows[1][:3] == ROWS[1]
    assert rows[1][3:5] == [ZHICHUNLU, ZHICHUNLU_NAME]
    assert rows[1][6] == "已确定"
    assert rows[2][3:] == ["", "", "", "空白"]
    assert rows[3][3:5] == ["", ""]
    assert rows[3][6] == "未确定"
    assert (summary.rows, summary.answered, summary.unanswered, summary.invalid) == (3, 1, 1, 1)
    assert progress.snapshot().done == 3
    assert not (tmp_path / "结果.csv.part").exists()


def test_batch_xlsx_to_xlsx(engine, xlsx_file, tmp_path):
    out = tmp_path / "结果.xlsx"
    summary = run_batch(engine, xlsx_file, 2, out)
    workbook = openpyxl.load_workbook(out, read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    assert rows[0] == ROWS[0] + ADDED
    assert rows[1][0] == "1"  # numbers come back as text, so codes keep their leading digits
    assert rows[1][3] == ZHICHUNLU
    assert rows[1][6] == "已确定"
    assert summary.answered == 1


@pytest.mark.parametrize("column", ["账号", 7])
def test_batch_unknown_column_raises(engine, gbk_csv, tmp_path, column):
    out = tmp_path / "结果.csv"
    with pytest.raises(BatchFileError):
        run_batch(engine, gbk_csv, column, out)
    assert not out.exists()


def test_batch_rejects_unknown_format(engine, tmp_path):
    path = tmp_path / "list.doc"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(BatchFileError):
        preview_table(path)


@pytest.mark.gui
def test_batch_dialog_writes_expected_file(qtbot, demo_db_template, tmp_path, gbk_csv):
    from desktop.batch_dialog import BatchDialog, default_output_path
    from desktop.jobs import JobHost

    db_path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, db_path)
    parent = QWidget()
    qtbot.addWidget(parent)
    host = JobHost(parent)
    dialog = BatchDialog(parent, host, db_path)
    dialog.load_file(gbk_csv)
    assert dialog.column_box.currentText() == "开户行"
    assert dialog.out_edit.text() == str(default_output_path(gbk_csv))
    assert dialog.out_edit.text().endswith("付款-联行号.csv")
    dialog.start()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60_000)
    host.wait_for_done(10_000)
    rows = read_csv(default_output_path(gbk_csv))
    assert [row[3] for row in rows[1:]] == [ZHICHUNLU, "", ""]
    assert [row[6] for row in rows[1:]] == ["已确定", "空白", "未确定"]
    assert "确定 1 行" in dialog.status_label.text()
