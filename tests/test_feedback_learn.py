"""Feedback samples, the feedback data folder, and one learning round on a tiny model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.augment.options import AugmentOptions
from core.cli.main import cli
from core.feedback import apply_correction
from core.feedback.dataset import FeedbackDataOptions
from core.feedback.learn import METRICS, LearnOptions, default_learn_config, learn_from_feedback
from core.feedback.regression import directory_fingerprint, regression_set
from core.feedback.samples import FeedbackSampleOptions, correction_cases, feedback_samples
from core.lookup.engine import LookupEngine
from core.ner.registry import ModelRegistry

QUERY = "工行北京东铁匠营"
CHOSEN = "102100000048"  # 中国工商银行股份有限公司北京东铁匠营支行
CONFUSED = "102100000021"  # 中国工商银行股份有限公司北京新华支行
RULES_ONLY = FeedbackSampleOptions(augment=AugmentOptions(use_llm=False, per_branch=4))


def test_samples_around_correction(demo_directory):
    apply_correction(demo_directory, QUERY, CHOSEN, CONFUSED)
    cases = correction_cases(demo_directory)
    assert [(case.query, case.chosen_code, case.confusable_codes, case.count) for case in cases] == [
        (QUERY, CHOSEN, (CONFUSED,), 1)
    ]
    samples = feedback_samples(demo_directory, cases, RULES_ONLY)
    by_kind = {sample["kind"]: sample for sample in samples if sample["source"] == "feedback"}
    corrected, confusable = by_kind["corrected"], by_kind["confusable"]
    assert (corrected["text"], corrected["cnaps_code"]) == (QUERY, CHOSEN)
    assert [(label["label"], label["text"]) for label in corrected["labels"]] == [
        ("BANK", "工行"),
        ("LOC", "北京"),
        ("BRANCH", "东铁匠营"),
    ]
    assert (confusable["text"], confusable["cnaps_code"]) == ("工行北京新华", CONFUSED)
    assert corrected["weight"] == RULES_ONLY.query_weight
    assert {sample["cnaps_code"] for sample in samples if sample["source"] == "rules"} == {CHOSEN, CONFUSED}


def test_regression_set_is_fixed_per_directory(demo_directory, tmp_path):
    path, first = regression_set(demo_directory, tmp_path, size=20)
    assert path == tmp_path / "regression" / f"{directory_fingerprint(demo_directory)}.jsonl"
    assert len(first) == 20
    _same_path, second = regression_set(demo_directory, tmp_path, size=50)
    assert second == first


def test_augment_from_feedback_cli(demo_directory, tmp_path):
    apply_correction(demo_directory, QUERY, CHOSEN, CONFUSED)
    out = tmp_path / "round"
    result = CliRunner().invoke(
        cli, ["augment", "--db", str(demo_directory.path), "--from-feedback", "--no-llm", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    train = [json.loads(line) for line in (out / "train.jsonl").read_text(encoding="utf-8").splitlines()]
    corrected = [sample for sample in train if sample["kind"] == "corrected"]
    assert len(corrected) == FeedbackSampleOptions().query_weight
    assert (out / "test.jsonl").is_file() and (out / "dev.jsonl").is_file()


@pytest.mark.slow
def test_learning_round_keeps_regression_metrics(demo_directory, ner_tiny_model_dir, tmp_path):
    registry = ModelRegistry(tmp_path / "models")
    shutil.copytree(ner_tiny_model_dir, registry.root / ner_tiny_model_dir.name)
    base_version = json.loads((ner_tiny_model_dir / "config.json").read_text(encoding="utf-8"))["version"]
    registry.activate(base_version)
    apply_correction(demo_directory, QUERY, CHOSEN, CONFUSED)

    options = LearnOptions(
        data=FeedbackDataOptions(samples=RULES_ONLY, replay_size=300, dev_size=50),
        train=default_learn_config().replace(threads=1, batch_size=32, eval_steps=50),
        regression_size=60,
        data_dir=tmp_path / "round",
    )
    report = learn_from_feedback(demo_directory, options, registry=registry)

    assert report.previous_version == base_version
    assert report.dataset.corrected_texts == 1
    assert report.before.regression_queries == report.after.regression_queries == 60
    active = registry.active_model().version
    if report.activated:
        assert active == report.version
        for name in METRICS:
            assert getattr(report.after, name) >= getattr(report.before, name) - options.max_metric_drop, name
    else:
        assert active == base_version
        assert report.dropped
    # The correction's alias answers the seeded confusion whichever model is active.
    engine = LookupEngine(demo_directory, use_cache=False)
    assert engine.lookup(QUERY).answer.cnaps_code == CHOSEN
    assert Path(report.regression_path).is_file()


def test_learn_cli_without_corrections(demo_directory):
    result = CliRunner().invoke(cli, ["feedback", "learn", "--db", str(demo_directory.path), "--no-llm"])
    assert result.exit_code != 0
    assert result.exception.params["key"] == "feedback.error_no_corrections"


@pytest.mark.slow
def test_learn_needs_checkpoint(demo_directory, ner_tiny_model_dir, tmp_path):
    from core.errors import FeedbackError

    registry = ModelRegistry(tmp_path / "models")
    copy = registry.root / ner_tiny_model_dir.name
    shutil.copytree(ner_tiny_model_dir, copy, ignore=shutil.ignore_patterns("torch"))
    registry.activate(json.loads((copy / "config.json").read_text(encoding="utf-8"))["version"])
    apply_correction(demo_directory, QUERY, CHOSEN, CONFUSED)
    with pytest.raises(FeedbackError) as raised:
        learn_from_feedback(demo_directory, registry=registry)
    assert raised.value.params["key"] == "feedback.error_no_checkpoint"


def test_cases_skip_removed_branch(demo_directory):
    apply_correction(demo_directory, QUERY, CHOSEN, CONFUSED)
    with demo_directory.db.conn:
        demo_directory.db.execute("DELETE FROM branches WHERE cnaps_code = ?", [CHOSEN])
    assert correction_cases(demo_directory) == []
