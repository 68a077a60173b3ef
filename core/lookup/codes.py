"""Queries made of digits: a whole 12-digit 联行号 or the first digits of one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.checkdigit import is_valid_code
from core.results import LookupResult
from core.text.normalize import normalize_text

if TYPE_CHECKING:
    from core.lookup.engine import LookupEngine

CODE_LENGTH = 12
MIN_PREFIX_LENGTH = 6


def lookup_code(engine: LookupEngine, text: str, digits: str, top: int) -> LookupResult:
    """Answer a digits-only query: a known code, a mistyped code, or a code prefix."""
    index = engine.index
    if len(digits) == CODE_LENGTH and digits in index.row_of_code:
        row = index.row_of_code[digits]
        candidate = engine.candidate(row, 1.0)
        bank = _other_bank_named(engine, text, digits, row)
        if bank is not None:
            # A code typed beside another bank's name means one of the two is wrong, so none is answered.
            return LookupResult(
                text,
                digits,
                None,
                [candidate],
                0.0,
                note=f"code {digits} belongs to {candidate.name}, not to the bank {bank!r} in the query",
                note_key="lookup.note_code_other_bank",
                note_params={"code": digits, "name": candidate.name, "bank": bank},
            )
        return LookupResult(text, digits, candidate, [candidate], 1.0, note_key="lookup.note_code_found")

    if len(digits) in (CODE_LENGTH - 1, CODE_LENGTH, CODE_LENGTH + 1):
        suggestions = _codes_one_digit_away(engine, digits)
        candidates = [engine.candidate(index.row_of_code[code], 0.5) for code in suggestions[:top]]
        if len(digits) != CODE_LENGTH:
            note = f"{digits} has {len(digits)} digits; a code has {CODE_LENGTH}"
            key = "lookup.note_code_length" if suggestions else "lookup.note_code_length_alone"
        elif not is_valid_code(digits):
            note, key = f"code {digits} fails its check digit, so it is mistyped", "lookup.note_code_mistyped"
        else:
            note, key = f"code {digits} is not in the directory", "lookup.note_code_unknown"
        return LookupResult(
            text,
            digits,
            None,
            candidates,
            0.0,
            note=note,
            note_key=key,
            note_params={
                "code": digits,
                "length": str(len(digits)),
                "suggestions": "、".join(suggestions[:top]),
            },
        )

    if len(digits) >= MIN_PREFIX_LENGTH and len(digits) < CODE_LENGTH:
        found = index.codes_with_prefix(digits, top)
        candidates = [engine.candidate(index.row_of_code[code], 0.5) for code in found]
        count = index.count_with_prefix(digits)
        return LookupResult(
            text,
            digits,
            None,
            candidates,
            0.0,
            note=f"{count} codes start with {digits}",
            note_key="lookup.note_code_prefix",
            note_params={"prefix": digits, "count": str(count)},
        )

    return LookupResult(
        text,
        digits,
        None,
        [],
        0.0,
        note=f"{digits} is too short for a code prefix; type at least {MIN_PREFIX_LENGTH} digits",
        note_key="lookup.note_code_short",
        note_params={"prefix": digits, "minimum": str(MIN_PREFIX_LENGTH)},
    )


def _other_bank_named(engine: LookupEngine, text: str, digits: str, row: int) -> str | None:
    """Return the bank named beside the code when the code's branch is not one of its rows."""
    words = normalize_text(text).replace(digits, " ").strip()
    found = engine.index.banks.find(words) if words else None
    if found is None:
        return None
    start, end, ref = found
    rows = engine.pool(ref)
    if rows is None or row in rows:
        return None
    return words[start:end]


def _codes_one_digit_away(engine: LookupEngine, digits: str) -> list[str]:
    """Return existing codes one substitution, adjacent swap, insertion or deletion away."""
    if engine.directory is not None:
        from core.store.suggest import suggest_codes

        return suggest_codes(engine.directory, digits)  # type: ignore[arg-type]
    known = engine.index.row_of_code
    found: set[str] = set()
    for position in range(len(digits)):
        for digit in "0123456789":
            variant = digits[:position] + digit + digits[position + 1 :]
            if variant != digits and variant in known:
                found.add(variant)
        if position + 1 < len(digits):
            swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2 :]
            if swapped != digits and swapped in known:
                found.add(swapped)
    return sorted(found)
