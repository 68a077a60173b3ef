"""训练 menu jobs: generate data and retrain switch the active model; a cancel leaves it alone."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QWidget

from core.ner import registry
from desktop.jobs import Changes, JobHost
from desktop.operations.training import generate_training_data, retrain_model

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture
def host(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    host = JobHost(parent)
    yield host, parent
    host.wait_for_done(60_000)


@pytest.fixture
def tiny_config(ner_tiny_config):
    # The test checks the job and the switch of the active model, not model quality,
    # so any F1 passes the activation gate.
    return ner_tiny_config.replace(min_test_f1=0.0, epochs=2.0)


def generate(qtbot, host, parent, db_path, out_dir):
    from core.augment.options import AugmentOptions

    options = AugmentOptions(per_branch=4, max_branches=300, use_llm=False, n_threads=1)
    manifests = []
    generate_training_data(parent, host, db_path, out_dir, options, manifests.append)
    qtbot.waitUntil(lambda: bool(manifests) or not host.busy, timeout=120_000)
    qtbot.waitUntil(lambda: not host.busy, timeout=10_000)
    assert len(manifests) == 1
    return manifests[0]


def test_generate_and_retrain_switch_active_model(qtbot, host, demo_db_path, tmp_path, tiny_config):
    host, parent = host
    previous = registry.active_model()
    manifest = generate(qtbot, host, parent, demo_db_path, tmp_path / "data")
    assert manifest.samples > 0
    assert (tmp_path / "data" / "train.jsonl").is_file()

    reports = []
    with qtbot.waitSignal(host.changed, timeout=300_000) as changed:
        retrain_model(parent, host, tmp_path / "data", tiny_config, reports.append)
    assert changed.args == [Changes(model=True)]
    report = reports[0]
    assert report.activated
    active = registry.active_model()
    assert active is not None
    assert active.version == report.version
    assert previous is None or previous.version != report.version

    from desktop.engine import open_engine

    opened = open_engine(demo_db_path)  # what the lookup thread builds on Changes(model=True)
    try:
        assert opened.info.extractor == "model"
        assert opened.info.model_version == report.version
    finally:
        opened.close()


def test_cancelled_retrain_keeps_active_model(qtbot, host, demo_db_path, tmp_path, tiny_config):
    host, parent = host
    generate(qtbot, host, parent, demo_db_path, tmp_path / "data")
    before = registry.active_model()
    versions_before = [info.version for info in registry.list_models()]

    outcomes = []
    job = retrain_model(parent, host, tmp_path / "data", tiny_config.replace(epochs=50.0), outcomes.append)
    job.failure(outcomes.append)
    qtbot.waitUntil(lambda: job.progress.snapshot().stage == "train" or not host.busy, timeout=120_000)
    job.cancel()
    qtbot.waitUntil(lambda: not host.busy, timeout=120_000)

    assert outcomes == []  # a cancel reaches neither handler
    after = registry.active_model()
    if before is None:
        assert after is None
    else:
        assert after.version == before.version
    assert [info.version for info in registry.list_models()] == versions_before
