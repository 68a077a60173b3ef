"""``bankcode eval`` shows query kinds by their Chinese labels."""

from __future__ import annotations

import json

from click.testing import CliRunner

from core.cli.cmd_eval import kind_label
from core.cli.main import cli


def test_known_and_unknown_kind_labels():
    assert kind_label("location_first") == "地名在前"
    assert kind_label("asking") == "问句"
    assert kind_label("made_up_kind") == "made_up_kind"


def test_eval_prints_kind_labels(demo_db_template, tmp_path):
    queries = tmp_path / "queries.jsonl"
    records = [
        {"query": "工行北京新华支行", "cnaps_code": "102100000021", "kind": "no_legal"},
        {"query": "北京新华支行在哪个工行", "cnaps_code": "102100000021", "kind": "asking"},
        {"query": "中国工商银行股份有限公司北京新华支行", "cnaps_code": "102100000021", "kind": "own_kind"},
    ]
    queries.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    result = CliRunner().invoke(cli, ["eval", str(queries), "--db", str(demo_db_template)])

    assert result.exit_code == 0, result.output
    kinds = [line.split("：")[0].strip() for line in result.output.splitlines() if line.startswith("  ")]
    assert sorted(kinds) == sorted(["省略公司名称", "问句", "own_kind"])
