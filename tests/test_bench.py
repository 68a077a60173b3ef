"""The benchmark: query writing, scoring and a whole run at a tiny size."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.bench import BenchOptions, run_benchmark, score_run
from core.bench_queries import QUERY_KINDS, BenchQuery, make_queries, write_query
from core.bench_systems import SystemRun, trigram_terms
from core.cli.main import cli

SYSTEM_KEYS = {
    "top1",
    "answered",
    "wrong_rate",
    "p50_ms",
    "p99_ms",
    "mean_ms",
    "load_s",
    "rss_after_load_mib",
    "query_rss_max_mib",
    "peak_rss_mib",
    "top1_by_kind",
    "top1_by_origin",
}
NAME = "中国工商银行股份有限公司北京新华支行"
CODE = "102100000021"


@pytest.fixture()
def bench_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BANKCODE_HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("official", NAME),
        ("no_legal_suffix", "中国工商银行北京新华支行"),
        ("no_city", "中国工商银行新华支行"),
        ("traditional", "中國工商銀行北京新華支行"),
    ],
)
def test_write_query_fixed_kinds(kind: str, expected: str) -> None:
    assert write_query(NAME, CODE, kind, random.Random(0)) == expected


def test_write_query_short_bank() -> None:
    text = write_query(NAME, CODE, "short_bank", random.Random(0))
    assert text.endswith("北京新华支行")
    assert text[: -len("北京新华支行")] in ("工商银行", "工行", "工银")


def test_write_query_location_first() -> None:
    text = write_query(NAME, CODE, "location_first", random.Random(0))
    assert text.startswith("北京新华的")


def test_write_query_bracket() -> None:
    text = write_query(NAME, CODE, "bracket", random.Random(0))
    assert "北京新华支行" in text
    assert text[-1] in ")）"


def test_write_query_typo_changes_one_char() -> None:
    clean = write_query(NAME, CODE, "short_bank", random.Random(5))
    typo = write_query(NAME, CODE, "typo", random.Random(5))
    assert len(typo) == len(clean)
    assert sum(a != b for a, b in zip(typo, clean, strict=True)) == 1


def test_write_query_rural_short_name() -> None:
    name = "江苏南通农村商业银行股份有限公司江海支行"
    text = write_query(name, "314306000001", "short_bank", random.Random(1))
    assert "农村商业银行股份有限公司" not in text
    assert text.endswith("江海支行")


def test_write_query_unknown_kind() -> None:
    with pytest.raises(ValueError, match="shouting"):
        write_query(NAME, CODE, "shouting", random.Random(0))


def test_make_queries_absent_have_no_target() -> None:
    targets = [(CODE, NAME, "real")] * 20
    absent = [("102100000030", "中国工商银行股份有限公司北京市分行营业部", "real")] * 5
    queries = make_queries(targets, absent, random.Random(2))
    assert len(queries) == 25
    assert sum(query.expected is None for query in queries) == 5
    assert all(query.kind == "absent" for query in queries if query.expected is None)
    assert {query.kind for query in queries} <= {kind for kind, _ in QUERY_KINDS}


def test_trigram_terms_skip_punctuation() -> None:
    assert trigram_terms("工行(新华支行)") == ["工行新", "行新华", "新华支", "华支行"]
    assert trigram_terms("工行") == []


def test_score_run_counts_abstention() -> None:
    queries = [
        BenchQuery("a", "111", "official", "real"),
        BenchQuery("b", "222", "typo", "real"),
        BenchQuery("c", None, "absent", "synthetic"),
        BenchQuery("d", None, "absent", "synthetic"),
    ]
    run = SystemRun(
        "test", codes=["111", "999", None, "333"], scores=[95, 80, 0, 91], latencies_ms=[1, 2, 3, 4]
    )
    scored = score_run(queries, run)
    assert scored["top1"] == 0.5
    assert scored["answered"] == 3
    assert scored["wrong_rate"] == pytest.approx(2 / 3)
    assert scored["top1_by_kind"] == {"absent": 0.5, "official": 1.0, "typo": 0.0}
    assert scored["top1_by_origin"] == {"real": 0.5, "synthetic": 0.5}
    cut = score_run(queries, run, cutoff=90)
    assert cut["top1"] == 0.5
    assert cut["answered"] == 2
    assert cut["wrong_rate"] == 0.5
    assert cut["cutoff"] == 90


@pytest.mark.slow
def test_bench_end_to_end(bench_home: Path) -> None:
    report = run_benchmark(BenchOptions(rows=2_000, queries=50, seed=1, work_dir=bench_home / "work"))
    assert report["directory"]["rows"] == 2_000
    assert report["directory"]["real_rows"] == 1_000
    assert report["directory"]["import_summary"]["total"] == 2_000
    assert report["queries"]["total"] == 50
    assert report["queries"]["without_target"] == 5
    assert set(report["systems"]) == {"engine", "rapidfuzz", "rapidfuzz_cutoff", "fts5"}
    for system, figures in report["systems"].items():
        assert "error" not in figures, (system, figures)
        assert set(figures) >= SYSTEM_KEYS, system
        assert 0.0 <= figures["top1"] <= 1.0
        assert figures["peak_rss_mib"] > 0
    assert set(report["comparison"]) == {"rapidfuzz", "rapidfuzz_cutoff", "fts5"}
    for ratios in report["comparison"].values():
        assert {"top1_points", "p99_ratio", "peak_rss_ratio"} <= set(ratios)


@pytest.mark.slow
def test_bench_cli_writes_json(bench_home: Path) -> None:
    out = bench_home / "results.json"
    args = ["bench", "--rows", "2000", "--queries", "50", "--systems", "rapidfuzz,fts5", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "FTS5 trigram" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "version",
        "options",
        "machine",
        "directory",
        "queries",
        "rss_method",
        "systems",
        "comparison",
    } <= set(report)
    assert set(report["systems"]) == {"rapidfuzz", "rapidfuzz_cutoff", "fts5"}


def test_bench_cli_rejects_unknown_system(bench_home: Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "--rows", "100", "--systems", "engine,grep"])
    assert result.exit_code == 2
    assert "grep" in result.output
