"""Existing codes close to a mistyped 联行号, for the lookup engine's "did you mean"."""

from __future__ import annotations

import re

from core.store.directory import Directory

_DIGITS = "0123456789"
_LOOKUP_CHUNK = 500


def _variants(code: str) -> set[str]:
    """Return every 12-digit code one edit from ``code``: a substituted digit, two adjacent
    digits swapped, and for an 11- or 13-digit entry a digit inserted or dropped."""
    variants: set[str] = set()
    if len(code) == 12:
        for index, digit in enumerate(code):
            for other in _DIGITS:
                if other != digit:
                    variants.add(code[:index] + other + code[index + 1 :])
        for index in range(11):
            if code[index] != code[index + 1]:
                variants.add(code[:index] + code[index + 1] + code[index] + code[index + 2 :])
    elif len(code) == 11:
        for index in range(12):
            for digit in _DIGITS:
                variants.add(code[:index] + digit + code[index:])
    elif len(code) == 13:
        for index in range(13):
            variants.add(code[:index] + code[index + 1 :])
    variants.discard(code)
    return variants


def suggest_codes(directory: Directory, code: str) -> list[str]:
    """Return the codes in ``directory`` one digit away from ``code``, sorted.

    One digit away means one substituted digit or two adjacent digits swapped.
    An 11- or 13-digit ``code`` also matches codes with one digit inserted or
    dropped. Characters other than digits are ignored, and ``code`` itself is
    never returned. A result is a guess to show the user, never an answer.
    """
    digits = re.sub(r"\D", "", code)
    candidates = sorted(_variants(digits))
    found: list[str] = []
    for start in range(0, len(candidates), _LOOKUP_CHUNK):
        chunk = candidates[start : start + _LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.extend(
            row[0]
            for row in directory.db.execute(
                f"SELECT cnaps_code FROM branches WHERE cnaps_code IN ({marks})", chunk
            )
        )
    return sorted(found)
