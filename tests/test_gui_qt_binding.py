"""The installed Qt binding keeps None's reference count: PySide6 6.12.0 under Python 3.11 does not.

With that build every call of a void Qt method (``QLabel.setText``, ``QTimer.start``)
takes one reference from None without adding one, and the app aborts with
"deallocating None" after a few thousand lookups. Python 3.12 made None immortal,
so the check only has teeth on 3.11.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui

CALLS = 2000


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 2, f"{lost} references to None lost in {CALLS} calls; install PySide6 < 6.12"
