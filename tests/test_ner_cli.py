"""bankcode train and bankcode models through click's test runner."""

import json

import pytest
from click.testing import CliRunner

from core.cli.cmd_models import models_group
from core.cli.cmd_train import train_command
from core.i18n import catalogue
from core.ner.registry import ModelRegistry, default_registry


def test_models_list_empty(monkeypatch, tmp_path):
    from core import paths

    monkeypatch.setattr(paths, "SHIPPED_MODELS", tmp_path / "none")
    result = CliRunner().invoke(models_group, ["list"])
    assert result.exit_code == 0
    assert result.output.strip() == "还没有任何模型。"


def test_models_activate_unknown_version_in_chinese(monkeypatch, tmp_path):
    from core import paths
    from core.i18n import describe_error

    monkeypatch.setattr(paths, "SHIPPED_MODELS", tmp_path / "none")
    result = CliRunner().invoke(models_group, ["activate", "v9"])
    assert result.exit_code != 0
    assert describe_error(result.exception) == "找不到模型版本 v9。现有版本：none"


def test_models_rollback_without_history_in_chinese(monkeypatch, tmp_path):
    from core import paths
    from core.i18n import describe_error

    monkeypatch.setattr(paths, "SHIPPED_MODELS", tmp_path / "none")
    result = CliRunner().invoke(models_group, ["rollback"])
    assert describe_error(result.exception).startswith("没有可以回退的上一个模型")


@pytest.mark.slow
def test_models_list_and_activate(ner_user_model):
    runner = CliRunner()
    listed = runner.invoke(models_group, ["list"])
    assert listed.exit_code == 0
    row = next(line for line in listed.output.splitlines() if ner_user_model.version in line)
    assert row.startswith("*")
    assert "用户训练" in row

    activated = runner.invoke(models_group, ["activate", ner_user_model.version])
    assert activated.exit_code == 0
    assert activated.output.strip() == f"已启用模型 {ner_user_model.version}。"


@pytest.mark.slow
def test_train_command(ner_data_dir, tmp_path):
    from tests.conftest import NER_TINY_SETTINGS

    config_file = tmp_path / "tiny.json"
    config_file.write_text(json.dumps({**NER_TINY_SETTINGS, "max_steps": 300}))
    out_dir = tmp_path / "models"

    result = CliRunner().invoke(
        train_command, ["--data", str(ner_data_dir), "--config", str(config_file), "--out", str(out_dir)]
    )

    assert result.exit_code == 0, result.output
    active = ModelRegistry(out_dir).active_model()
    assert active is not None
    assert f"新模型版本：{active.version}" in result.output
    assert "已启用新模型（此前为 无）。" in result.output
    # --out keeps the user's registry untouched.
    assert default_registry().root != out_dir
    assert ModelRegistry(default_registry().root).active_model() is None


def test_train_command_without_data(monkeypatch):
    result = CliRunner().invoke(train_command, [])
    assert result.exit_code != 0
    assert result.exception.params["key"] == "ner.no_data"


def test_ner_messages_exist():
    import pathlib
    import re

    sources = "".join(
        path.read_text(encoding="utf-8")
        for path in [*pathlib.Path("core/ner").glob("*.py"), *pathlib.Path("core/cli").glob("cmd_*.py")]
    )
    used = set(re.findall(r"\"(ner\.[a-z_]+)\"", sources))
    used |= {f"ner.stage_{stage}" for stage in ("train", "export", "evaluate", "register")}
    assert "ner.train_help" in used
    assert sorted(key for key in used if key not in catalogue()) == []
