"""训练 → 评估报告: the evaluation job and its charts."""

from __future__ import annotations

import json
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QWidget

from desktop.charts import BarChart
from desktop.eval_dialog import EvaluateDialog, latency_histogram

pytestmark = pytest.mark.gui

QUERIES = [
    {
        "query": "工行知春路",
        "cnaps_code": "102100020794",
        "kind": "short",
        "labels": [{"start": 0, "end": 2, "label": "BANK"}, {"start": 2, "end": 5, "label": "BRANCH"}],
    },
    {"query": "中国工商银行股份有限公司北京知春路支行", "cnaps_code": "102100020794", "kind": "official"},
    {"query": "火星银行月球支行", "cnaps_code": None, "kind": "short"},
]


def test_latency_histogram_buckets():
    assert latency_histogram([0.5, 0.7, 1.5, 60.0]) == [
        ("<1", 2),
        ("1-2", 1),
        ("2-5", 0),
        ("5-10", 0),
        ("10-20", 0),
        ("20-50", 0),
        ("≥50", 1),
    ]


def test_evaluate_dialog_shows_report(qtbot, demo_db_template, tmp_path):
    from desktop.jobs import JobHost

    db_path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, db_path)
    queries = tmp_path / "queries.jsonl"
    queries.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUERIES), encoding="utf-8")
    parent = QWidget()
    qtbot.addWidget(parent)
    host = JobHost(parent)
    dialog = EvaluateDialog(parent, host, db_path)
    dialog.path_edit.setText(str(queries))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=60_000)
    host.wait_for_done(10_000)

    view = dialog.view
    assert view.queries == 3
    assert sorted(view.top1_by_kind) == ["official", "short"]
    assert sum(count for _, count in view.latency_histogram) == 3
    assert view.entity_f1_source == "queries"
    assert set(view.entity_f1) <= {"BANK", "LOC", "BRANCH"}
    assert "共 3 条查询" in dialog.summary_label.text()
    charts = dialog.findChildren(BarChart)
    assert len(charts) == 3
    assert [len(chart.bars) for chart in charts][1:] == [7, 2]


def test_evaluate_dialog_without_file(qtbot, tmp_path):
    from desktop.jobs import JobHost

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = EvaluateDialog(parent, JobHost(parent), tmp_path / "directory.sqlite")
    dialog.path_edit.setText(str(tmp_path / "missing.jsonl"))
    dialog.start()
    assert dialog.summary_label.text() == "请先选择查询样本文件。"
    assert dialog.view is None
