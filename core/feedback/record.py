"""Record what the clerk did with a lookup, and turn corrections into aliases at once.

The GUI calls these when the clerk acts on a result (copies it, confirms it, picks
another candidate, or leaves the query after a pause). A correction (the clerk chose
a branch other than the engine's answer) also writes an alias: the normalized query
text maps to the chosen 联行号, so the engine answers that text correctly on its next
``reload_aliases`` without any retraining. Each alias row belongs to one correction
text; undoing the correction removes it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.errors import FeedbackError
from core.results import LookupResult
from core.text.normalize import normalize_text

logger = logging.getLogger(__name__)

CANDIDATES_LOGGED = 5
# ``aliases.source`` of the rows written for corrections.
ALIAS_SOURCE = "correction"


@dataclass(frozen=True)
class CorrectionOutcome:
    """The changes made by one recorded correction."""

    correction_id: int
    alias_text: str  # the normalized query, the key the engine looks up
    alias_written: bool  # False for a confirmation (the engine already gave this answer)
    # The code the same text pointed to before, which this correction replaced; None when none.
    replaced_code: str | None
    # Earlier active corrections of the same text to another code, now marked undone.
    superseded_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CorrectionRow:
    """One row of ``corrections`` with the chosen branch's official name."""

    id: int
    at: str
    query: str
    chosen_code: str
    chosen_name: str  # "" when the code has left the directory since
    previous_code: str | None
    status: str  # "active" or "undone"
    source: str  # "local" or "imported"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def alias_key(query: str) -> str:
    """Return the alias text for ``query``: the same normalization the engine applies to aliases."""
    return normalize_text(query)


def log_lookup(directory: Any, result: LookupResult) -> int:
    """Append one acted-on lookup to ``lookup_log`` and return its row id."""
    candidates = [
        {"cnaps_code": c.cnaps_code, "name": c.name, "score": round(c.score, 4)}
        for c in result.candidates[:CANDIDATES_LOGGED]
    ]
    row = {
        "at": _now(),
        "query": result.query,
        "answer_code": result.answer.cnaps_code if result.answer else None,
        "confidence": round(result.confidence, 4),
        "candidates_json": json.dumps(candidates, ensure_ascii=False),
        "entity_source": result.entity_source,
    }
    table = directory.db["lookup_log"]
    with directory.db.conn:
        table.insert(row)
    logger.debug("logged lookup %r -> %s", result.query, row["answer_code"])
    return table.last_rowid


def record_correction(
    directory: Any,
    query: str,
    chosen_code: str,
    previous_code: str | None = None,
    *,
    source: str = "local",
) -> int:
    """Store that ``chosen_code`` is the right branch for ``query`` and return the row id.

    The same as ``apply_correction`` but returns only the id; see there.
    """
    return apply_correction(directory, query, chosen_code, previous_code, source=source).correction_id


def apply_correction(
    directory: Any,
    query: str,
    chosen_code: str,
    previous_code: str | None = None,
    *,
    source: str = "local",
    at: str | None = None,
) -> CorrectionOutcome:
    """Store a correction and, unless it confirms the engine's answer, the alias it implies.

    ``previous_code`` is the engine's answer (None when it gave none); a correction
    equal to it is a confirmation and writes no alias. When the same normalized text
    already points to another code, the latest correction wins: the old alias is
    replaced and earlier corrections of that text to other codes are marked undone.
    ``at`` (ISO 8601) keeps an imported correction's own time. Raises ``FeedbackError``
    for an empty query or a code that is not a 12-digit code of this directory.
    """
    query = query.strip()
    key = alias_key(query)
    if not key:
        raise FeedbackError("a correction needs a query with letters or digits")
    check_code(directory, chosen_code)
    row = {
        "at": at or _now(),
        "query": query,
        "chosen_code": chosen_code,
        "previous_code": previous_code,
        "status": "active",
        "source": source,
    }
    db = directory.db
    confirmation = previous_code == chosen_code
    replaced: str | None = None
    superseded: list[int] = []
    with db.conn:
        table = db["corrections"]
        table.insert(row)
        correction_id = table.last_rowid
        if not confirmation:
            replaced = _current_alias(db, key)
            if replaced == chosen_code:
                replaced = None
            db.execute("DELETE FROM aliases WHERE alias_text = ? AND cnaps_code != ?", [key, chosen_code])
            db.execute(
                "INSERT OR IGNORE INTO aliases (alias_text, cnaps_code, source, created_at) "
                "VALUES (?, ?, ?, ?)",
                [key, chosen_code, ALIAS_SOURCE, row["at"]],
            )
            superseded = _supersede(db, key, chosen_code, correction_id)
    if replaced or superseded:
        logger.warning(
            "correction %r -> %s replaces %s (corrections %s marked undone)",
            query,
            chosen_code,
            replaced,
            superseded,
        )
    logger.info("recorded correction %r -> %s (was %s)", query, chosen_code, previous_code)
    return CorrectionOutcome(correction_id, key, not confirmation, replaced, tuple(superseded))


def check_code(directory: Any, code: str) -> None:
    """Raise ``FeedbackError`` unless ``code`` is a 12-digit code present in the directory."""
    if not (len(code) == 12 and code.isdigit()):
        raise FeedbackError(f"chosen code {code!r} is not a 12-digit CNAPS code")
    found = directory.db.execute("SELECT 1 FROM branches WHERE cnaps_code = ?", [code]).fetchone()
    if found is None:
        raise FeedbackError(f"chosen code {code} is not in the directory; import it first")


def undo_correction(directory: Any, correction_id: int) -> bool:
    """Mark a correction undone and drop its alias; return False when it was already undone.

    The alias stays when another active correction of the same text chose the same
    code. NOTE: a correction that this one had superseded stays undone; the clerk
    corrects again to bring it back.
    """
    db = directory.db
    row = db.execute(
        "SELECT query, chosen_code, status FROM corrections WHERE id = ?", [correction_id]
    ).fetchone()
    if row is None:
        raise FeedbackError(
            f"correction {correction_id} does not exist; list them with `bankcode feedback list`",
            key="feedback.error_no_such_correction",
            id=correction_id,
        )
    query, code, status = row
    if status == "undone":
        return False
    key = alias_key(query)
    with db.conn:
        db.execute("UPDATE corrections SET status = 'undone' WHERE id = ?", [correction_id])
        if not _active_texts_choose(db, key, code):
            db.execute(
                "DELETE FROM aliases WHERE alias_text = ? AND cnaps_code = ? AND source = ?",
                [key, code, ALIAS_SOURCE],
            )
    logger.info("undid correction %d (%r -> %s)", correction_id, query, code)
    return True


def list_corrections(directory: Any, *, include_undone: bool = False) -> list[CorrectionRow]:
    """Return the corrections, newest first, with the chosen branch's name."""
    sql = (
        "SELECT c.id, c.at, c.query, c.chosen_code, coalesce(b.name, ''), c.previous_code, "
        "c.status, c.source "
        "FROM corrections c LEFT JOIN branches b ON b.cnaps_code = c.chosen_code"
    )
    if not include_undone:
        sql += " WHERE c.status = 'active'"
    sql += " ORDER BY c.at DESC, c.id DESC"
    return [CorrectionRow(*row) for row in directory.db.execute(sql)]


def _current_alias(db: Any, key: str) -> str | None:
    row = db.execute("SELECT cnaps_code FROM aliases WHERE alias_text = ? ORDER BY id DESC", [key]).fetchone()
    return row[0] if row else None


def _supersede(db: Any, key: str, chosen_code: str, correction_id: int) -> list[int]:
    """Mark active corrections of ``key`` to another code undone and return their ids."""
    ids = [
        row_id
        for row_id, query, code, previous in db.execute(
            "SELECT id, query, chosen_code, previous_code FROM corrections "
            "WHERE status = 'active' AND id != ?",
            [correction_id],
        )
        if code != chosen_code and code != previous and alias_key(query) == key
    ]
    for row_id in ids:
        db.execute("UPDATE corrections SET status = 'undone' WHERE id = ?", [row_id])
    return ids


def _active_texts_choose(db: Any, key: str, code: str) -> bool:
    rows = db.execute(
        "SELECT query FROM corrections WHERE status = 'active' AND chosen_code = ? AND "
        "(previous_code IS NULL OR previous_code != chosen_code)",
        [code],
    )
    return any(alias_key(query) == key for (query,) in rows)
