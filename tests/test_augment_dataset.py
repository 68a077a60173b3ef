"""Data folders: branch-disjoint splits, the manifest, the export, atomic writes, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.augment.check import check_dataset
from core.augment.dataset import SPLITS, build_dataset, export_record, read_manifest, split_by_branch
from core.augment.options import RULE_KINDS, AugmentOptions
from core.cli.main import cli
from core.errors import Cancelled, DatasetError
from core.jobs import Progress

QUICK = AugmentOptions(use_llm=False, max_branches=400, per_branch=6, seed=3)


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def quick_dataset(demo_directory, tmp_path):
    out = tmp_path / "data"
    manifest = build_dataset(demo_directory, out, QUICK)
    return out, manifest


def test_split_has_no_leakage(quick_dataset):
    out, _ = quick_dataset
    codes = {
        split: {sample["cnaps_code"] for sample in _read_jsonl(out / f"{split}.jsonl")} for split in SPLITS
    }
    assert not codes["train"] & codes["dev"]
    assert not codes["train"] & codes["test"]
    assert not codes["dev"] & codes["test"]
    assert len(codes["train"]) + len(codes["dev"]) + len(codes["test"]) == 400


def test_split_by_branch_fractions():
    samples = [
        {
            "text": str(index),
            "labels": [],
            "cnaps_code": f"{index // 3:012d}",
            "kind": "short",
            "source": "rules",
        }
        for index in range(3000)
    ]
    splits = split_by_branch(samples, AugmentOptions(use_llm=False, dev_fraction=0.2, test_fraction=0.1))
    branches = {split: {sample["cnaps_code"] for sample in splits[split]} for split in SPLITS}
    assert len(branches["dev"]) == 200
    assert len(branches["test"]) == 100
    assert len(branches["train"]) == 700
    assert sum(len(split) for split in splits.values()) == 3000


def test_manifest_contents(quick_dataset, demo_directory):
    out, manifest = quick_dataset
    stored = read_manifest(out)
    assert stored == json.loads(json.dumps(manifest.as_dict()))
    assert stored["seed"] == 3
    assert stored["directory_branch_count"] == demo_directory.count()
    assert stored["branches_used"] == 400
    assert stored["samples"] == sum(stored["splits"][split]["samples"] for split in SPLITS)
    assert stored["counts_by_source"] == {"rules": stored["samples"]}
    assert set(stored["counts_by_kind"]) <= set(RULE_KINDS)
    assert stored["counts_by_kind"]["official"] == 400
    assert stored["model_file"] is None
    assert stored["model_sha256"] is None
    assert stored["prompt_version"] is None
    assert stored["llm"] is None
    assert stored["options"]["per_branch"] == 6
    assert stored["rules"]["samples"] == stored["samples"]
    assert stored["created_at"].endswith("+00:00")
    for split in SPLITS:
        assert stored["splits"][split]["samples"] == len(_read_jsonl(out / f"{split}.jsonl"))


def test_every_written_span_exact(quick_dataset):
    out, manifest = quick_dataset
    report = check_dataset(out)
    assert report.samples == manifest.samples
    assert report.valid == report.samples
    assert report.problems == []
    assert report.leaked_codes == []


def test_export_shape(quick_dataset, demo_directory):
    out, _ = quick_dataset
    records = _read_jsonl(out / "export" / "dev.jsonl")
    samples = _read_jsonl(out / "dev.jsonl")
    assert len(records) == len(samples)
    for record, sample in zip(records, samples, strict=True):
        assert set(record) == {"user_input", "entities", "standard_answer"}
        assert set(record["entities"]) == {"bank_name", "location", "branch_name"}
        assert record["user_input"] == sample["text"]
        official = demo_directory.get(sample["cnaps_code"]).name
        assert record["standard_answer"] == f"{official}: {sample['cnaps_code']}"


def test_export_record_joins_places():
    sample = {
        "text": "北京海淀工行新华",
        "labels": [
            {"start": 0, "end": 2, "label": "LOC", "text": "北京"},
            {"start": 2, "end": 4, "label": "LOC", "text": "海淀"},
            {"start": 4, "end": 6, "label": "BANK", "text": "工行"},
            {"start": 6, "end": 8, "label": "BRANCH", "text": "新华"},
        ],
        "cnaps_code": "102100000021",
        "kind": "colloquial",
        "source": "rules",
    }
    assert export_record(sample, "中国工商银行股份有限公司北京新华支行") == {
        "user_input": "北京海淀工行新华",
        "entities": {"bank_name": "工行", "location": "北京海淀", "branch_name": "新华"},
        "standard_answer": "中国工商银行股份有限公司北京新华支行: 102100000021",
    }


def test_same_seed_same_data(demo_directory, tmp_path):
    options = AugmentOptions(use_llm=False, max_branches=100, seed=9)
    build_dataset(demo_directory, tmp_path / "a", options)
    build_dataset(demo_directory, tmp_path / "b", options)
    for split in SPLITS:
        assert (tmp_path / "a" / f"{split}.jsonl").read_bytes() == (
            tmp_path / "b" / f"{split}.jsonl"
        ).read_bytes()


def test_rebuild_replaces_dataset(quick_dataset, demo_directory):
    out, _ = quick_dataset
    build_dataset(demo_directory, out, AugmentOptions(use_llm=False, max_branches=50, seed=4))
    assert read_manifest(out)["branches_used"] == 50
    assert [path.name for path in out.parent.iterdir() if path.name.startswith(".")] == []


def test_refuses_foreign_folder(demo_directory, tmp_path):
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(DatasetError, match="not empty"):
        build_dataset(demo_directory, out, QUICK)
    assert (out / "holiday.jpg").exists()


class CancelInStage(Progress):
    """A progress whose user presses cancel at the first step reported in the named stage."""

    def __init__(self, stage: str) -> None:
        super().__init__()
        self.cancel_stage = stage
        self.armed = False

    def start_stage(self, stage: str, total: int = 0) -> None:
        self.armed = stage == self.cancel_stage
        super().start_stage(stage, total)

    def advance(self, count: int = 1) -> None:
        if self.armed:
            self.cancel()
        super().advance(count)

    def set_done(self, done: int, total: int | None = None) -> None:
        if self.armed:
            self.cancel()
        super().set_done(done, total)


def test_cancel_leaves_no_folder(demo_directory, tmp_path):
    out = tmp_path / "sets" / "data"
    with pytest.raises(Cancelled):
        build_dataset(demo_directory, out, QUICK, CancelInStage("rules"))
    assert not out.exists()


def test_cancel_while_writing_keeps_old_dataset(quick_dataset, demo_directory):
    out, manifest = quick_dataset
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    with pytest.raises(Cancelled):
        build_dataset(
            demo_directory, out, AugmentOptions(use_llm=False, max_branches=20), CancelInStage("write")
        )
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
    assert [path.name for path in out.parent.iterdir() if path.name.startswith(".")] == []


def test_empty_directory_rejected(empty_directory, tmp_path):
    with pytest.raises(DatasetError, match="no branches"):
        build_dataset(empty_directory, tmp_path / "data", QUICK)


def test_options_validated():
    with pytest.raises(ValueError, match="unknown sample kinds"):
        AugmentOptions(kinds=("official", "poetry"))
    with pytest.raises(ValueError, match="add up to less than 1"):
        AugmentOptions(dev_fraction=0.5, test_fraction=0.5)


def test_cli_generates_and_checks(demo_db_template, tmp_path):
    out = tmp_path / "cli-data"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "augment",
            "--db",
            str(demo_db_template),
            "--no-llm",
            "--max-branches",
            "60",
            "--per-branch",
            "5",
            "--seed",
            "2",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "训练数据已写入" in result.stdout
    assert "未使用大模型" in result.stdout
    assert read_manifest(out)["branches_used"] == 60

    checked = runner.invoke(cli, ["augment", "--check", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "100.00%" in checked.stdout
    assert "划分无泄漏" in checked.stdout
    assert "没有大模型样本" in checked.stdout


def test_cli_check_reports_broken_span(tmp_path):
    out = tmp_path / "broken"
    out.mkdir()
    good = {
        "text": "华夏西山",
        "labels": [{"start": 0, "end": 2, "label": "BANK", "text": "华夏"}],
        "cnaps_code": "304659000016",
        "kind": "short",
        "source": "llm",
    }
    bad = {
        "text": "华夏西山",
        "labels": [{"start": 1, "end": 3, "label": "BANK", "text": "华夏"}],
        "cnaps_code": "304659000024",
        "kind": "short",
        "source": "rules",
    }
    (out / "train.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "test.jsonl").write_text(
        json.dumps(bad, ensure_ascii=False) + "\n" + json.dumps(good, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["augment", "--check", str(out)])
    assert result.exit_code == 1
    assert "（66.67%）" in result.stdout  # 2 of 3 spans valid
    assert "test 第 1 行" in result.stdout
    assert "304659000016" in result.stdout  # leaked across train and test, and shown as an LLM sample


def test_cli_rejects_llm_and_no_llm(tmp_path):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    result = CliRunner().invoke(cli, ["augment", "--llm", str(model), "--no-llm"])
    assert result.exit_code != 0
    assert "--llm 和 --no-llm 只能选一个" in result.output


def test_cli_help_translated():
    result = CliRunner().invoke(cli, ["augment", "--help"])
    assert result.exit_code == 0
    assert "训练数据" in result.output
    for option in ("--per-branch", "--llm", "--no-llm", "--llm-branches", "--out", "--seed", "--check"):
        assert option in result.output
