"""Chinese text for the window's answer line and its engine status label."""

from __future__ import annotations

import html

from core.i18n import has, tr
from core.results import LookupResult
from desktop.engine import EngineInfo


def answer_html(result: LookupResult | None) -> str:
    if result is None:
        return ""
    # An unknown note key would show as a raw key, so only catalogued notes are shown.
    note = html.escape(tr(result.note_key, **result.note_params)) if has(result.note_key) else ""
    note_html = f'<br><span style="color:#555;">{note}</span>' if note else ""
    if result.answer is None:
        if not result.candidates:
            if result.note_key == "lookup.note_nothing_similar":
                # The engine's note repeats "gui.answer.nothing", so it is shown alone.
                return f'<span style="color:#b00020;">{note}</span>'
            return f'<span style="color:#b00020;">{tr("gui.answer.nothing")}</span>{note_html}'
        return f'<span style="color:#b26a00; font-weight:bold;">{tr("gui.answer.unsure")}</span>{note_html}'
    detail = tr(
        "gui.answer.found_detail",
        name=html.escape(result.answer.name),
        code=result.answer.cnaps_code,
        confidence=result.confidence * 100,
    )
    found = tr("gui.answer.found")
    return f'<span style="color:#1e7d32; font-weight:bold;">{found}</span> {detail}{note_html}'


def engine_status(info: EngineInfo) -> str:
    extractor = (
        tr("gui.status.extractor_model", version=info.model_version)
        if info.extractor == "model"
        else tr("gui.status.extractor_rules")
    )
    return tr("gui.status.ready", count=info.branch_count, extractor=extractor, seconds=info.load_s)
