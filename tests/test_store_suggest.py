"""Codes one digit away from a mistyped 联行号."""

from __future__ import annotations

import pytest

from core.store import suggest_codes


def _one_edit_apart(typed: str, code: str) -> bool:
    """Independent check of the edits suggest_codes promises, by brute force over one code."""
    if len(typed) == 12:
        differing = [index for index in range(12) if typed[index] != code[index]]
        if len(differing) == 1:
            return True
        return (
            len(differing) == 2
            and differing[1] == differing[0] + 1
            and typed[differing[0]] == code[differing[1]]
            and typed[differing[1]] == code[differing[0]]
        )
    if len(typed) == 11:
        return any(code[:index] + code[index + 1 :] == typed for index in range(12))
    if len(typed) == 13:
        return any(typed[:index] + typed[index + 1 :] == code for index in range(13))
    return False


@pytest.mark.parametrize(
    "typed",
    [
        "102100000012",  # last two digits swapped
        "102100000020",  # last digit wrong
        "103100000021",  # bank digit wrong
        "10210000002",  # one digit dropped
        "1021000000211",  # one digit added
        "402611099947",
    ],
)
def test_suggest_matches_brute_force(demo_directory, typed):
    codes = [row[0] for row in demo_directory.db.execute("SELECT cnaps_code FROM branches")]
    expected = sorted(code for code in codes if code != typed and _one_edit_apart(typed, code))
    assert suggest_codes(demo_directory, typed) == expected


def test_suggest_finds_swapped_code(demo_directory):
    assert "102100000021" in suggest_codes(demo_directory, "102100000012")


def test_suggest_ignores_separators(demo_directory):
    assert suggest_codes(demo_directory, "1021-0000-0012") == suggest_codes(demo_directory, "102100000012")


def test_suggest_excludes_typed_code(demo_directory):
    assert "102100000021" not in suggest_codes(demo_directory, "102100000021")


def test_suggest_other_lengths_empty(demo_directory):
    assert suggest_codes(demo_directory, "12345") == []
    assert suggest_codes(demo_directory, "") == []
