"""训练 → 评估报告: evaluate the engine on a queries file and chart the results."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.i18n import has, tr
from core.results import ENTITY_LABELS
from desktop.charts import BarChart
from desktop.jobs import JobHost
from desktop.operations.training import evaluate_engine
from desktop.widgets import button_box, error_html

logger = logging.getLogger(__name__)

# Upper bounds (ms) of the latency histogram's buckets; the last bucket is open.
LATENCY_BUCKETS_MS = (1, 2, 5, 10, 20, 50)


@dataclass(frozen=True)
class EvalView:
    """The figures the report shows, taken from core's evaluation report and the active model."""

    queries: int
    top1: float
    top5: float
    answered: float
    wrong_when_answered: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_p99_ms: float
    top1_by_kind: dict[str, float] = field(default_factory=dict)
    latency_histogram: list[tuple[str, int]] = field(default_factory=list)
    entity_f1: dict[str, float] = field(default_factory=dict)  # label -> F1
    entity_f1_source: str = ""  # "queries" or "model"


def latency_histogram(latencies_ms: list[float]) -> list[tuple[str, int]]:
    """Count latencies into ``LATENCY_BUCKETS_MS`` buckets, labelled for the chart."""
    counts = [0] * (len(LATENCY_BUCKETS_MS) + 1)
    for value in latencies_ms:
        index = next(
            (i for i, bound in enumerate(LATENCY_BUCKETS_MS) if value < bound), len(LATENCY_BUCKETS_MS)
        )
        counts[index] += 1
    labels = [f"<{LATENCY_BUCKETS_MS[0]}"]
    labels += [f"{low}-{high}" for low, high in zip(LATENCY_BUCKETS_MS, LATENCY_BUCKETS_MS[1:], strict=False)]
    labels.append(f"≥{LATENCY_BUCKETS_MS[-1]}")
    return list(zip(labels, counts, strict=True))


def active_model_entity_f1() -> dict[str, float]:
    """Per-label test F1 of the active NER model from its ``metrics.json``; empty when unknown."""
    from core.ner.registry import active_model

    info = active_model()
    if info is None:
        return {}
    try:
        metrics = json.loads((Path(info.path) / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    per_label = (metrics.get("test") or {}).get("per_label") or {}
    return {label: float(per_label[label]["f1"]) for label in ENTITY_LABELS if label in per_label}


def kind_text(kind: str) -> str:
    key = f"gui.eval.kind.{kind}"
    return tr(key) if has(key) else kind


class EvaluateDialog(QDialog):
    def __init__(self, parent: QWidget, host: JobHost, db_path: Path | None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluateDialog")
        self.setWindowTitle(tr("gui.eval.title"))
        self.resize(980, 680)
        self._host = host
        self._db_path = db_path
        self.view: EvalView | None = None

        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("evalQueries")
        self.path_edit.setPlaceholderText(tr("gui.eval.path_placeholder"))
        browse = QPushButton(tr("gui.eval.browse"))
        browse.clicked.connect(self._browse)
        self.start_button = QPushButton(tr("gui.eval.start"))
        self.start_button.setObjectName("evalStart")
        self.start_button.clicked.connect(self.start)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        path_row.addWidget(self.start_button)

        self.summary_label = QLabel(tr("gui.eval.hint"))
        self.summary_label.setObjectName("evalSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.charts = QGridLayout()
        buttons = button_box(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(path_row)
        # The label takes no spare height, so before a run its hint sits under the path row
        # and the empty chart area below takes the space.
        layout.addWidget(self.summary_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(self.charts, 1)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("gui.eval.choose"), "", tr("gui.eval.file_filter"))
        if path:
            self.path_edit.setText(path)

    def start(self) -> None:
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.summary_label.setText(tr("gui.eval.no_file"))
            return
        self.start_button.setEnabled(False)
        self.summary_label.setText(tr("gui.eval.running"))
        evaluate_engine(self, self._host, self._db_path, path, self._done).failure(self._failed)

    def _failed(self, error: BaseException) -> None:
        self.summary_label.setText(error_html(error))
        self.start_button.setEnabled(True)

    def _done(self, report: Any) -> None:
        view = view_from_report(report)
        self.view = view
        self.start_button.setEnabled(True)
        self.summary_label.setText(
            tr(
                "gui.eval.summary",
                queries=view.queries,
                top1=view.top1 * 100,
                top5=view.top5 * 100,
                answered=view.answered * 100,
                wrong=view.wrong_when_answered * 100,
                p50=view.latency_p50_ms,
                p95=view.latency_p95_ms,
                p99=view.latency_p99_ms,
            )
        )
        self.show_charts(view)

    def show_charts(self, view: EvalView) -> None:
        while self.charts.count():
            widget = self.charts.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        f1_title = tr(f"gui.eval.chart_f1_{view.entity_f1_source or 'none'}")
        f1_bars = [(tr(f"gui.entity.{label}"), value) for label, value in view.entity_f1.items()]
        kind_bars = [(kind_text(kind), value) for kind, value in sorted(view.top1_by_kind.items())]
        f1_chart = BarChart(
            f1_title, f1_bars, value_format="{:.0%}", max_value=1.0, empty_text=tr("gui.eval.no_entities")
        )
        self.charts.addWidget(f1_chart, 0, 0)
        self.charts.addWidget(
            BarChart(
                tr("gui.eval.chart_latency"),
                [(k, float(v)) for k, v in view.latency_histogram],
                value_format="{:.0f}",
            ),
            0,
            1,
        )
        self.charts.addWidget(
            BarChart(tr("gui.eval.chart_kind"), kind_bars, value_format="{:.0%}", max_value=1.0), 1, 0, 1, 2
        )


def view_from_report(report: Any) -> EvalView:
    """Take the figures to show from a ``core.evaluate.EvalReport``.

    Entity F1 comes from the queries file when its lines carry labelled spans, and
    otherwise from the active model's own test split.
    """
    entity_f1: dict[str, float] = {}
    source = ""
    per_label = getattr(report.entities, "per_label", None) or {}
    if per_label:
        entity_f1 = {label: per_label[label].f1 for label in ENTITY_LABELS if label in per_label}
        source = "queries"
    else:
        entity_f1 = active_model_entity_f1()
        source = "model" if entity_f1 else ""
    return EvalView(
        queries=report.queries,
        top1=report.top1,
        top5=report.top5,
        answered=report.answered,
        wrong_when_answered=report.wrong_when_answered,
        latency_p50_ms=report.latency_p50_ms,
        latency_p95_ms=report.latency_p95_ms,
        latency_p99_ms=report.latency_p99_ms,
        top1_by_kind={kind: scores.top1 for kind, scores in report.by_kind.items()},
        latency_histogram=latency_histogram(report.latencies_ms),
        entity_f1=entity_f1,
        entity_f1_source=source,
    )
