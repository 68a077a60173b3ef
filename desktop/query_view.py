"""The recognised parts of a query, shown as coloured spans with a legend."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from core.i18n import tr
from core.results import ENTITY_LABELS, LookupResult

# Background colours chosen to stay readable with black text and for common colour blindness.
LABEL_COLOURS = {"BANK": "#cfe2ff", "LOC": "#d1f0d8", "BRANCH": "#ffe5b4"}


def highlight_html(text: str, entities: list) -> str:
    """Return ``text`` as HTML with each entity span on its label's colour."""
    parts: list[str] = []
    position = 0
    for entity in sorted(entities, key=lambda item: item.start):
        if entity.start < position or entity.end > len(text):
            continue  # overlapping or stale spans are skipped rather than garbling the text
        parts.append(html.escape(text[position : entity.start]))
        colour = LABEL_COLOURS.get(entity.label, "#eeeeee")
        title = html.escape(tr(f"gui.entity.{entity.label}"))
        span_text = html.escape(text[entity.start : entity.end])
        parts.append(
            f'<span style="background:{colour};" title="{title}">&nbsp;{span_text}'
            f'<sub style="color:#555;">{title}</sub>&nbsp;</span>&thinsp;'
        )
        position = entity.end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def legend_html() -> str:
    chips = []
    for label in ENTITY_LABELS:
        name = html.escape(tr(f"gui.entity.{label}"))
        chips.append(f'<span style="background:{LABEL_COLOURS[label]};">&nbsp;{name}&nbsp;</span>')
    return "&nbsp;".join(chips)


class QueryView(QLabel):
    """One line: the normalized query with its BANK / LOC / BRANCH spans coloured."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queryView")
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.show_result(None)

    def show_result(self, result: LookupResult | None) -> None:
        if result is None or not result.normalized:
            hint = html.escape(tr("gui.query.hint"))
            self.setText(f'<span style="color:#666;">{hint}</span>&nbsp;&nbsp;{legend_html()}')
            return
        source = tr(f"gui.entity_source.{result.entity_source}")
        recognised = html.escape(tr("gui.query.recognised"))
        spans = highlight_html(result.normalized, result.entities)
        source_html = f'<span style="color:#666;">{html.escape(source)}</span>'
        self.setText(f"{recognised}&nbsp;{spans}&nbsp;&nbsp;{source_html}")
