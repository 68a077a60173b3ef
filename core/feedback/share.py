"""Export and import corrections as JSONL, so workstations of one bank share what clerks fixed.

One line per active correction::

    {"query": "工行东铁匠营", "chosen_code": "102100000048", "previous_code": "102100000021",
     "at": "2026-12-04T20:33:02+00:00", "chosen_name": "中国工商银行股份有限公司北京东铁匠营支行"}

``chosen_name`` is for people reading the file; the import ignores it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import FeedbackError
from core.feedback.record import alias_key, apply_correction, list_corrections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Conflict:
    """One text that the file and this database map to different codes."""

    query: str
    local_code: str
    imported_code: str
    kept_code: str  # the code of the later correction, which lookups of the text now return


@dataclass
class ImportReport:
    """The outcome of ``import_corrections``, line by line of the file."""

    imported: int = 0
    duplicates: int = 0  # lines whose text already maps to the same code here
    conflicts: list[Conflict] = field(default_factory=list)
    # (line number, code) of corrections naming a code this directory does not have.
    unknown_codes: list[tuple[int, str]] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line number, English reason)


def export_corrections(directory: Any, path: Path) -> int:
    """Write the active corrections (confirmations included) to ``path`` and return how many."""
    rows = list_corrections(directory)
    path = Path(path)
    try:
        with path.open("w", encoding="utf-8") as handle:
            for row in reversed(rows):  # oldest first, so an import replays them in order
                record = {
                    "query": row.query,
                    "chosen_code": row.chosen_code,
                    "previous_code": row.previous_code,
                    "at": row.at,
                    "chosen_name": row.chosen_name,
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        raise FeedbackError(f"cannot write corrections file {path}: {error}", path=str(path)) from error
    logger.info("exported %d corrections to %s", len(rows), path)
    return len(rows)


def import_corrections(directory: Any, path: Path) -> ImportReport:
    """Apply the corrections of a JSONL file written by ``export_corrections``.

    A line whose text already maps to its code here is a duplicate. When the text maps
    to another code here, the later of the two corrections (by ``at``) is kept and the
    line is reported as a conflict. A code this directory lacks is reported, not imported.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise FeedbackError(f"cannot read corrections file {path}: {error}", path=str(path)) from error
    report = ImportReport()
    current = _current_choices(directory)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = _parse(line)
        except ValueError as error:
            report.invalid.append((number, str(error)))
            continue
        query, code, previous, at = record
        key = alias_key(query)
        if directory.get(code) is None:
            report.unknown_codes.append((number, code))
            continue
        local = current.get(key)
        if local is not None and local[0] == code:
            report.duplicates += 1
            continue
        if local is not None:
            local_code, local_at = local
            keep_imported = at > local_at
            report.conflicts.append(Conflict(query, local_code, code, code if keep_imported else local_code))
            if not keep_imported:
                continue
        apply_correction(directory, query, code, previous, source="imported", at=at)
        current[key] = (code, at)
        report.imported += 1
    logger.info(
        "imported %d corrections from %s: %d duplicates, %d conflicts, %d unknown codes, %d invalid lines",
        report.imported,
        path,
        report.duplicates,
        len(report.conflicts),
        len(report.unknown_codes),
        len(report.invalid),
    )
    return report


def _current_choices(directory: Any) -> dict[str, tuple[str, str]]:
    """Map each corrected text to (code, time) of its latest active correction."""
    choices: dict[str, tuple[str, str]] = {}
    for row in reversed(list_corrections(directory)):
        choices[alias_key(row.query)] = (row.chosen_code, row.at)
    return choices


def _parse(line: str) -> tuple[str, str, str | None, str]:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise ValueError(f"not JSON: {error}") from error
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    query, code = record.get("query"), record.get("chosen_code")
    previous, at = record.get("previous_code"), record.get("at")
    if not isinstance(query, str) or not alias_key(query):
        raise ValueError("'query' is missing or has no letters or digits")
    if not isinstance(code, str) or len(code) != 12 or not code.isdigit():
        raise ValueError(f"'chosen_code' {code!r} is not a 12-digit CNAPS code")
    if previous is not None and not isinstance(previous, str):
        raise ValueError("'previous_code' must be a string or null")
    if not isinstance(at, str) or not at:
        raise ValueError("'at' must be an ISO 8601 time")
    return query.strip(), code, previous, at
