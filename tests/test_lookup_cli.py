import json

from click.testing import CliRunner

from core.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, list(args), standalone_mode=False, catch_exceptions=False)


def test_query_json_answer(demo_db_template):
    result = CliRunner().invoke(cli, ["query", "工行北京新华支行", "--db", str(demo_db_template), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["query"] == "工行北京新华支行"
    assert data["answer"]["cnaps_code"] == "102100000021"
    assert data["answer"]["name"] == "中国工商银行股份有限公司北京新华支行"
    assert data["answer"]["confidence"] >= 0.8
    assert data["candidates"][0] == {
        "cnaps_code": "102100000021",
        "name": "中国工商银行股份有限公司北京新华支行",
        "score": 1.0,
    }
    assert [entity["label"] for entity in data["entities"]] == ["BANK", "LOC", "BRANCH"]


def test_query_text_answer(demo_db_template):
    result = CliRunner().invoke(cli, ["query", "102100000021", "--db", str(demo_db_template)])
    assert result.exit_code == 0, result.output
    assert "联行号：102100000021" in result.output
    assert "中国工商银行股份有限公司北京新华支行" in result.output


def test_query_without_answer_exits_1(demo_db_template):
    result = CliRunner().invoke(
        cli, ["query", "中国工商银行火星支行", "--db", str(demo_db_template), "--top", "3"]
    )
    assert result.exit_code == 1, result.output
    assert "未能确定，请从候选中选择" in result.output
    assert "3. " in result.output
    assert "4. " not in result.output


def test_query_mistyped_code_note(demo_db_template):
    result = CliRunner().invoke(cli, ["query", "102100000031", "--db", str(demo_db_template), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["answer"] is None
    assert "校验位" in data["note"]


def test_query_empty_exits_2(demo_db_template):
    import pytest

    from core.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["query", "，。", "--db", str(demo_db_template)])
    assert stopped.value.code == 2


def test_query_missing_db_exits_2(tmp_path):
    import pytest

    from core.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["query", "工行", "--db", str(tmp_path / "missing.sqlite")])
    assert stopped.value.code == 2


def test_query_nothing_similar_exits_1(demo_db_template):
    result = CliRunner().invoke(cli, ["query", '"; DROP TABLE branches; --', "--db", str(demo_db_template)])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == "没有找到相近的网点，请检查输入或换一种写法。"
    assert "匹配度" not in result.output


def test_query_entities_from_shipped_model(demo_db_template):
    # BANKCODE_HOME is empty in tests, so the registry falls back to the model in models/.
    result = CliRunner().invoke(cli, ["query", "江油西山的华夏银行", "--db", str(demo_db_template), "--json"])
    data = json.loads(result.output)
    assert data["entity_source"] == "model"
    assert [(entity["label"], entity["text"]) for entity in data["entities"]] == [
        ("LOC", "江油"),
        ("BRANCH", "西山"),
        ("BANK", "华夏银行"),
    ]


def test_query_rules_only_skips_model(demo_db_template):
    args = ["query", "江油西山的华夏银行", "--db", str(demo_db_template), "--json", "--rules-only"]
    result = CliRunner().invoke(cli, args)
    assert json.loads(result.output)["entity_source"] == "rules"


def test_eval_names_entity_source(demo_db_template, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"query": "工行北京新华支行", "cnaps_code": "102100000021"}\n', encoding="utf-8")
    with_model = CliRunner().invoke(cli, ["eval", str(queries), "--db", str(demo_db_template)])
    rules = CliRunner().invoke(cli, ["eval", str(queries), "--db", str(demo_db_template), "--rules-only"])
    assert "实体识别：模型 " in with_model.output
    assert "实体识别：规则" in rules.output
