import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.cli.main import cli
from core.errors import DatasetError
from core.evaluate import evaluate_entities, evaluate_file, percentile, read_queries
from core.names.extractor import RuleExtractor

QUERIES = Path(__file__).resolve().parent / "data" / "lookup_queries.jsonl"


def test_evaluate_file_figures(lookup_engine):
    report = evaluate_file(lookup_engine, QUERIES)
    assert report.queries == 5
    assert report.top1 == 1.0
    assert report.top5 == 1.0
    assert report.answered == 0.8
    assert report.wrong_answers == 0
    assert report.wrong_when_answered == 0.0
    assert report.null_targets == 1
    assert report.abstention == 1.0
    assert set(report.by_kind) == {"short", "location_first", "bracket", "code"}
    assert report.by_kind["short"].count == 2
    assert report.entities is not None
    assert report.entities.f1 == 1.0
    assert report.latency_p50_ms <= report.latency_p99_ms


def test_eval_cli_json_and_errors(demo_db_template, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        QUERIES.read_text(encoding="utf-8")
        + json.dumps(
            {"query": "工行北京新华支行", "cnaps_code": "102100000048", "kind": "short"}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(
        cli, ["eval", str(queries), "--db", str(demo_db_template), "--json", "--errors", str(errors)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["queries"] == 6
    assert data["wrong_answers"] == 1
    misses = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert len(misses) == 1
    assert misses[0]["expected_code"] == "102100000048"
    assert misses[0]["expected_name"] == "中国工商银行股份有限公司北京东铁匠营支行"
    assert misses[0]["answer_code"] == "102100000021"


def test_eval_cli_text(demo_db_template):
    result = CliRunner().invoke(cli, ["eval", str(QUERIES), "--db", str(demo_db_template)])
    assert result.exit_code == 0, result.output
    assert "首选正确率：100.0%（5/5）" in result.output
    assert "  地名在前：100.0%（1/1），错误答案 0" in result.output.splitlines()


def test_bad_line_names_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"query": "工行"}\n{"cnaps_code": "1"}\n', encoding="utf-8")
    with pytest.raises(DatasetError) as raised:
        read_queries(path)
    assert "line 2" in str(raised.value)


def test_evaluate_entities_rules():
    samples = [
        {"query": "江油西山的华夏银行", "labels": [[0, 2, "LOC"], [2, 4, "BRANCH"], [5, 9, "BANK"]]},
        {
            "query": "工行知春路",
            "labels": [{"label": "BANK", "start": 0, "end": 2}, {"label": "BRANCH", "start": 2, "end": 5}],
        },
    ]
    metrics = evaluate_entities(RuleExtractor(), samples)
    assert metrics.f1 == 1.0
    assert metrics.support == 5


def test_percentile_nearest_rank():
    assert percentile([], 0.5) == 0.0
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.99) == 4.0
