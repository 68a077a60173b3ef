"""Chinese text of the import dialog: preview column labels and summaries."""

from __future__ import annotations

from typing import Any

from core.i18n import tr
from desktop.operations.directory import ImportOutcome


def column_labels(preview: Any, width: int) -> list[str]:
    """Header text per column, with the field it was mapped to, e.g. "行号 → 联行号"."""
    header = list(preview.header or [])
    mapping = _mapping_by_index(preview)
    labels = []
    for index in range(width):
        title = (
            header[index]
            if index < len(header) and header[index]
            else tr("gui.import.column_n", number=index + 1)
        )
        field = mapping.get(index)
        labels.append(
            tr("gui.import.column_mapped", title=title, field=tr(f"gui.field.{field}")) if field else title
        )
    return labels


def _mapping_by_index(preview: Any) -> dict[int, str]:
    mapping = getattr(preview, "mapping", None) or getattr(preview, "columns", None) or {}
    if hasattr(mapping, "__dataclass_fields__"):
        mapping = {name: getattr(mapping, name) for name in mapping.__dataclass_fields__}
    return {index: field for field, index in dict(mapping).items() if isinstance(index, int)}


def preview_summary(preview: Any) -> str:
    fields = sorted(set(_mapping_by_index(preview).values()))
    return tr(
        "gui.import.preview_summary",
        format=str(preview.format).upper(),
        encoding=preview.encoding or "—",
        header=tr("gui.import.has_header") if preview.header else tr("gui.import.no_header"),
        fields="、".join(tr(f"gui.field.{field}") for field in fields) or "—",
    )


def outcome_summary(outcome: ImportOutcome) -> str:
    summary = outcome.summary
    skipped = summary.skipped  # the first rows only; skipped_count counts all
    text = tr(
        "gui.import.summary",
        added=summary.added,
        changed=summary.changed,
        removed=summary.removed,
        skipped=summary.skipped_count,
        total=outcome.branch_count,
    )
    if skipped:
        lines = [
            tr(
                "gui.import.skipped_line",
                line=item.line_no,
                value=item.value,
                reason=item.reason_text(),
            )
            for item in skipped[:20]
        ]
        text += "<br>" + "<br>".join(lines)
        if summary.skipped_count > len(lines):
            text += "<br>" + tr("gui.import.skipped_more", count=summary.skipped_count - len(lines))
    return text
