"""Plain helpers shared by several test files (fixtures live in conftest.py).

Test files import this module as ``helpers``. tests/ has no ``__init__.py``, so
pytest puts the folder on ``sys.path`` before it imports the test files in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Text that means something to FTS5 or to SQL, put into branch names and queries.
FTS_SQL_HOSTILE_TEXT = [
    '"',
    '""',
    "*",
    "NEAR(",
    " OR ",
    "AND",
    "NOT",
    "'; DROP TABLE branches;--",
    "^",
    ":",
    "{}",
    "{name}",
    "name:",
    "%s",
    "\\",
    "(",
    ")",
    "-",
    "+",
    "\x00",
]


def write_directory_csv(path: Path, count: int, label: str) -> dict[str, str]:
    """Write a directory CSV of ``count`` made-up branches named with ``label``; return code -> name."""
    rows = {
        f"{313100000000 + index * 13:012d}": f"测试{label}农村商业银行股份有限公司第{index}支行"
        for index in range(count)
    }
    with path.open("w", encoding="utf-8") as handle:
        handle.write("行号,行名\n")
        for code, name in rows.items():
            handle.write(f"{code},{name}\n")
    return rows


def run_bankcode(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m core.cli.main ARGS`` from the checkout with BANKCODE_HOME at ``home``.

    Exercises the real entry point (logging set-up, exit codes, stderr), which
    ``CliRunner`` skips. Output is captured as text; the run times out after 120 s.
    """
    env = {**os.environ, "BANKCODE_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "core.cli.main", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
