"""The corrections window, the 从纠错中学习 job, and aliases reloaded after a correction."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QWidget

from core.feedback import apply_correction, list_corrections
from core.results import Candidate, LookupResult
from core.store import open_directory

pytestmark = pytest.mark.gui

QUERY = "工行北京东铁匠营"
CHOSEN = "102100000048"
CONFUSED = "102100000021"


def candidate(code, name, score):
    return Candidate(code, name, score, "中国工商银行", "北京市", "北京市")


def test_corrections_dialog_undo_and_import(qtbot, demo_db_path, tmp_path):
    from desktop.corrections_dialog import CorrectionsDialog

    with open_directory(demo_db_path) as directory:
        apply_correction(directory, QUERY, CHOSEN, CONFUSED)
    reloads = []
    dialog = CorrectionsDialog(None, demo_db_path, lambda: reloads.append(True))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == QUERY
    assert dialog.table.item(0, 2).text() == CHOSEN

    exported = tmp_path / "corrections.jsonl"
    assert dialog.export_to(exported) == 1
    dialog.table.selectRow(0)
    dialog.undo_selected()
    assert reloads == [True]
    assert dialog.table.rowCount() == 0
    dialog.show_undone.setChecked(True)
    assert dialog.table.rowCount() == 1

    lines = dialog.import_from(exported)
    assert lines[0].startswith("已导入 1 条")
    dialog.done(0)
    with open_directory(demo_db_path) as directory:
        assert [row.source for row in list_corrections(directory)] == ["imported"]


def test_correction_reloads_engine_aliases(qtbot, demo_db_path):
    from desktop.main_window import MainWindow

    window = MainWindow(demo_db_path)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.lookups.ready, timeout=60_000)
        answer = Candidate(
            CONFUSED, "中国工商银行股份有限公司北京新华支行", 0.9, "中国工商银行", "北京市", "北京市"
        )
        result = LookupResult(QUERY, QUERY, answer, [answer], 0.9)
        with qtbot.waitSignal(window.lookups.aliases_reloaded, timeout=20_000):
            window.feedback.correct(result, CHOSEN)
        with qtbot.waitSignal(window.lookups.finished, timeout=20_000) as finished:
            window.lookups.request(QUERY)
        assert finished.args[1].answer.cnaps_code == CHOSEN
    finally:
        window.close()


@pytest.mark.slow
def test_learn_job_reports_round(qtbot, demo_db_path, ner_user_model, tmp_path):
    from core.augment.options import AugmentOptions
    from core.feedback.dataset import FeedbackDataOptions
    from core.feedback.learn import LearnOptions, default_learn_config
    from core.feedback.samples import FeedbackSampleOptions
    from desktop.jobs import JobHost
    from desktop.operations.feedback import learn_from_corrections

    with open_directory(demo_db_path) as directory:
        apply_correction(directory, QUERY, CHOSEN, CONFUSED)
    parent = QWidget()
    qtbot.addWidget(parent)
    host = JobHost(parent)
    options = LearnOptions(
        data=FeedbackDataOptions(
            samples=FeedbackSampleOptions(augment=AugmentOptions(use_llm=False, per_branch=4)),
            replay_size=200,
            dev_size=50,
        ),
        train=default_learn_config().replace(threads=1, batch_size=32, eval_steps=50),
        regression_size=40,
        data_dir=tmp_path / "round",
    )
    reports = []
    learn_from_corrections(parent, host, demo_db_path, reports.append, options)
    qtbot.waitUntil(lambda: bool(reports) or not host.busy, timeout=120_000)
    host.wait_for_done(10_000)
    assert len(reports) == 1
    report = reports[0]
    assert report.previous_version == ner_user_model.version
    assert (
        json.loads((tmp_path / "round" / "manifest.json").read_text(encoding="utf-8"))["feedback"][
            "corrected_texts"
        ]
        == 1
    )


def test_recorder_reports_replaced_correction(qtbot, demo_db_path):
    from desktop.feedback import FeedbackRecorder

    recorder = FeedbackRecorder(demo_db_path)
    answer = candidate(CONFUSED, "中国工商银行股份有限公司北京新华支行", 0.9)
    result = LookupResult(QUERY, QUERY, answer, [answer], 0.9)
    try:
        with qtbot.waitSignal(recorder.corrected, timeout=10_000):
            recorder.correct(result, CHOSEN)
        # The engine now returns the alias; the clerk changes their mind.
        chosen = candidate(CHOSEN, "中国工商银行股份有限公司北京东铁匠营支行", 1.0)
        with qtbot.waitSignal(recorder.replaced, timeout=10_000) as replaced:
            recorder.correct(LookupResult(QUERY, QUERY, chosen, [chosen], 1.0), CONFUSED)
        assert replaced.args == [QUERY, CHOSEN, CONFUSED]
    finally:
        recorder.close()
