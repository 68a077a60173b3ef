"""Record what the clerk did with a lookup: the lookup log and corrections.

The GUI calls these when the clerk acts on a result (copies it, confirms it, picks
another candidate, or leaves the query after a pause). This module only records;
building aliases and retraining from the corrections happens elsewhere.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from core.errors import FeedbackError
from core.results import LookupResult

logger = logging.getLogger(__name__)

CANDIDATES_LOGGED = 5


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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

    ``previous_code`` is the engine's answer (None when it gave none); a correction
    equal to it is a confirmation. Raises ``FeedbackError`` for an empty query or a
    code that is not a 12-digit code of this directory.
    """
    query = query.strip()
    if not query:
        raise FeedbackError("a correction needs a non-empty query")
    if not (len(chosen_code) == 12 and chosen_code.isdigit()):
        raise FeedbackError(f"chosen code {chosen_code!r} is not a 12-digit CNAPS code")
    found = directory.db.execute("select 1 from branches where cnaps_code = ?", [chosen_code]).fetchone()
    if found is None:
        raise FeedbackError(f"chosen code {chosen_code} is not in the directory; import it first")
    row = {
        "at": _now(),
        "query": query,
        "chosen_code": chosen_code,
        "previous_code": previous_code,
        "status": "active",
        "source": source,
    }
    table = directory.db["corrections"]
    with directory.db.conn:
        table.insert(row)
    logger.info("recorded correction %r -> %s (was %s)", query, chosen_code, previous_code)
    return table.last_rowid
