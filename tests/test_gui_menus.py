"""Every menu action has a translated label and a status tip; the catalogue has every GUI key."""

from __future__ import annotations

import os
import re
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from core.i18n import has, tr
from desktop.menus import MENUS

pytestmark = pytest.mark.gui

DESKTOP = Path(__file__).resolve().parent.parent / "desktop"
ACTION_NAMES = [entry[0] for entries in MENUS.values() for entry in entries if entry is not None]


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_menu_action_has_label_and_tip(name):
    assert has(f"gui.action.{name}"), f"gui.action.{name} is missing from core/locale/gui.toml"
    assert has(f"gui.action.{name}_tip"), f"gui.action.{name}_tip is missing from core/locale/gui.toml"
    assert tr(f"gui.action.{name}_tip").strip()


@pytest.mark.parametrize("menu", list(MENUS))
def test_menu_has_label(menu):
    assert has(f"gui.menu.{menu}")


def test_literal_gui_keys_exist():
    """Every tr("gui.…") written as a literal in desktop/ is in the catalogue."""
    missing = []
    for path in sorted(DESKTOP.rglob("*.py")):
        for key in re.findall(r'tr\(\s*"(gui\.[^"{}]+)"', path.read_text(encoding="utf-8")):
            if not has(key):
                missing.append(f"{path.name}: {key}")
    assert missing == []


def test_window_menus_match_catalogue(qtbot, demo_db_template, tmp_path):
    import shutil

    from desktop.main_window import MainWindow

    db_path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, db_path)
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    try:
        actions = window.actions_by_name
        assert sorted(actions) == sorted(ACTION_NAMES)
        for name, action in actions.items():
            assert action.text() == tr(f"gui.action.{name}")
            assert action.statusTip() == tr(f"gui.action.{name}_tip")
        assert actions["learn"].isEnabled()
        menu_titles = [action.text() for action in window.menuBar().actions()]
        assert menu_titles == [tr(f"gui.menu.{menu}") for menu in MENUS]
    finally:
        window.close()


def test_job_actions_disabled_while_busy(qtbot, demo_db_template, tmp_path):
    import shutil

    from desktop.main_window import MainWindow

    db_path = tmp_path / "directory.sqlite"
    shutil.copyfile(demo_db_template, db_path)
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    try:
        window.jobs.busy_changed.emit(True)
        for name in ("import", "batch", "generate", "retrain", "evaluate", "settings"):
            assert not window.actions_by_name[name].isEnabled(), name
        assert window.actions_by_name["about"].isEnabled()
        window.jobs.busy_changed.emit(False)
        assert window.actions_by_name["import"].isEnabled()
    finally:
        window.close()


def test_gui_command_has_help():
    from click.testing import CliRunner

    from core.cli.main import cli

    result = CliRunner().invoke(cli, ["gui", "--help"])
    assert result.exit_code == 0
    assert tr("cli.gui_help") in result.output


@pytest.mark.parametrize(
    "stage",
    [
        "inspect",
        "read",
        "write",
        "rules",
        "llm",
        "train",
        "export",
        "evaluate",
        "register",
        "evaluating",
        "batch lookup",
    ],
)
def test_core_stages_have_chinese_names(stage):
    from desktop.progress_dialog import stage_text

    assert stage_text(stage) != stage
