"""The Chinese description of an import and of a learning round, shared by the CLI and the GUI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import tr

if TYPE_CHECKING:
    from core.feedback.learn import LearnReport
    from core.feedback.share import ImportReport


def import_report_lines(report: ImportReport) -> list[str]:
    """Describe an ``ImportReport`` in Chinese, one fact per line."""
    lines = [
        tr(
            "feedback.imported",
            imported=report.imported,
            duplicates=report.duplicates,
            conflicts=len(report.conflicts),
            unknown=len(report.unknown_codes),
            invalid=len(report.invalid),
        )
    ]
    for conflict in report.conflicts:
        lines.append(
            tr(
                "feedback.conflict",
                query=conflict.query,
                local=conflict.local_code,
                imported=conflict.imported_code,
                kept=conflict.kept_code,
            )
        )
    for number, code in report.unknown_codes:
        lines.append(tr("feedback.unknown_code", line=number, code=code))
    for number, reason in report.invalid:
        lines.append(tr("feedback.invalid_line", line=number, reason=reason))
    return lines


def learn_report_lines(report: LearnReport) -> list[str]:
    """Describe a ``LearnReport`` in Chinese: the data, before and after, and the decision."""
    dataset = report.dataset
    lines = [
        tr(
            "feedback.learn_data",
            texts=dataset.corrected_texts,
            samples=dataset.feedback_samples,
            lines=dataset.feedback_lines,
            replay=dataset.replay_samples,
            path=str(dataset.path),
        ),
        tr("feedback.learn_table_header"),
    ]
    for name in ("entity_f1", "regression_top1", "corrected_top1"):
        lines.append(
            tr(
                "feedback.learn_metric",
                metric=tr(f"feedback.metric_{name}"),
                before=getattr(report.before, name),
                after=getattr(report.after, name),
            )
        )
    if report.activated:
        lines.append(tr("feedback.learn_activated", version=report.version, previous=report.previous_version))
    else:
        dropped = "，".join(
            tr("feedback.metric_drop", metric=tr(f"feedback.metric_{name}"), before=before, after=after)
            for name, before, after in report.dropped
        )
        lines.append(
            tr(
                "feedback.learn_rejected",
                version=report.version,
                dropped=dropped,
                margin=report.max_metric_drop,
                previous=report.previous_version,
            )
        )
    return lines
