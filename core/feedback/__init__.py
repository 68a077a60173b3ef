"""Corrections and what the product learns from them.

* ``record``: the lookup log, corrections and the aliases they write at once;
* ``share``: moving corrections between workstations as JSONL;
* ``samples``: training samples generated around corrected queries;
* ``regression``: the fixed regression set of a directory and the before/after metrics;
* ``learn``: one incremental training round from the active model.
"""

from core.feedback.record import (
    CorrectionOutcome,
    CorrectionRow,
    alias_key,
    apply_correction,
    list_corrections,
    log_lookup,
    record_correction,
    undo_correction,
)

__all__ = [
    "CorrectionOutcome",
    "CorrectionRow",
    "alias_key",
    "apply_correction",
    "list_corrections",
    "log_lookup",
    "record_correction",
    "undo_correction",
]
